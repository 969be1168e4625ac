package io.ghosthands.activities.engine.resumefile;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A real S3 server for tests: S3Proxy, in this JVM, on a free loopback port, keeping its buckets in
 * memory and checking AWS Signature V4 against one access key, so a wrong secret is refused as AWS
 * would refuse it. Buckets and objects are put straight into its store: an 11 MB upload over HTTP
 * in the set-up failed now and then on a loaded machine ("Error writing request body"), and what is
 * under test is reading, not uploading.
 */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY_ID = "AKIDGHOSTHANDSTEST01";
    public static final String SECRET_ACCESS_KEY = "s3-secret-Zq8v1Lr0Yt4Pw7Xk2Nm5Hj9";
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final TransientNio2BlobStore store;

    private S3TestServer(S3Proxy proxy, TransientNio2BlobStore store) {
        this.proxy = proxy;
        this.store = store;
    }

    /** Starts a server with the given buckets, empty. */
    public static S3TestServer start(String... buckets) {
        TransientNio2BlobStore store = new TransientNio2BlobStore();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(
                        URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":0"))
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
        S3TestServer server = new S3TestServer(proxy, store);
        for (String bucket : buckets) {
            store.createContainer(CreateBucketRequest.builder().bucket(bucket).build());
        }
        return server;
    }

    /** {@code http://127.0.0.1:<port>}: what {@code GH_RESUME_S3_ENDPOINT} would be. */
    public String endpoint() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + proxy.getPort();
    }

    /** Stores {@code bytes} at {@code key}, served with {@code contentType}. */
    public void put(String bucket, String key, byte[] bytes, String contentType) {
        store.putBlob(
                PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType(contentType)
                        .contentLength((long) bytes.length)
                        .build(),
                new ByteArrayInputStream(bytes));
    }

    /** The configuration a worker would have for {@code bucket} on this server. */
    public S3ResumeStore.Config config(String bucket) {
        return new S3ResumeStore.Config(bucket, endpoint(), REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        }
    }
}
