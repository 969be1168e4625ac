package io.ghosthands.activities.engine.resume;

import java.net.InetAddress;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy, in this JVM, on a free loopback port, keeping its buckets in
 * memory and checking AWS Signature V4 against one access key, so a wrong secret is refused as AWS
 * would refuse it. Objects are put with the AWS SDK, as any uploader would.
 */
public final class S3TestServer implements AutoCloseable {

  public static final String ACCESS_KEY_ID = "AKIDGHOSTHANDSTEST01";
  public static final String SECRET_ACCESS_KEY = "s3-secret-Zq8v1Lr0Yt4Pw7Xk2Nm5Hj9";
  public static final String REGION = "us-east-1";

  private final S3Proxy proxy;
  private final S3Client client;

  private S3TestServer(S3Proxy proxy) {
    this.proxy = proxy;
    this.client = S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** Starts a server with the given buckets, empty. */
  public static S3TestServer start(String... buckets) {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":0"))
        .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
        .stopTimeout(0)
        .build();
    try {
      proxy.start();
      long until = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < until) {
        Thread.sleep(10);
      }
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start", e);
    }
    S3TestServer server = new S3TestServer(proxy);
    for (String bucket : buckets) {
      server.client.createBucket(b -> b.bucket(bucket));
    }
    return server;
  }

  /** {@code http://127.0.0.1:<port>}: what {@code GH_RESUME_S3_ENDPOINT} would be. */
  public String endpoint() {
    return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + proxy.getPort();
  }

  /** Stores {@code bytes} at {@code key}, served with {@code contentType}. */
  public void put(String bucket, String key, byte[] bytes, String contentType) {
    client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
  }

  /** The configuration a worker would have for {@code bucket} on this server. */
  public S3ResumeStore.Config config(String bucket) {
    return new S3ResumeStore.Config(bucket, endpoint(), REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  @Override
  public void close() {
    client.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not stop", e);
    }
  }
}
