package io.ghosthands.activities.engine.resumefile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Résumés in an S3 bucket, on AWS or any S3-compatible store (Supabase Storage's S3 endpoint,
 * MinIO, Cloudflare R2, …), fetched with the AWS SDK: one signed GET per résumé, its declared size
 * checked before the body is read.
 *
 * <p>With an endpoint the bucket is addressed by path ({@code <endpoint>/<bucket>/<key>}), which
 * every S3-compatible store understands; without one it is AWS, and a bucket in another region than
 * the one configured is still found. Credentials are the two explicit values when given, else the
 * AWS default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code AWS_PROFILE},
 * web identity, container and instance roles). Checksums are asked for only where S3 requires them:
 * several S3-compatible stores refuse the optional ones newer SDKs send by default.
 */
public final class S3ResumeStore implements ResumeStore {

    /**
     * How to reach the bucket. {@link #toString()} never shows the secret.
     *
     * @param bucket the bucket ({@code GH_RESUME_S3_BUCKET}); blank: no S3 store
     * @param endpoint an S3-compatible store's URL ({@code GH_RESUME_S3_ENDPOINT}); blank: AWS
     * @param region the signing region ({@code GH_RESUME_S3_REGION}); blank: the AWS default chain
     *     ({@code AWS_REGION}, the profile), else {@code us-east-1}
     * @param accessKeyId {@code GH_RESUME_S3_ACCESS_KEY_ID}; blank (with the secret): the default chain
     * @param secretAccessKey {@code GH_RESUME_S3_SECRET_ACCESS_KEY}
     */
    public record Config(String bucket, String endpoint, String region, String accessKeyId, String secretAccessKey) {

        public static final Config NONE = new Config("", "", "", "", "");

        /** Whether an S3 store is configured at all (a bucket is named). */
        public boolean configured() {
            return !blank(bucket);
        }

        @Override
        public String toString() {
            URI uri = blank(endpoint) ? null : safeUri(endpoint);
            return "S3ResumeStore.Config[bucket=" + bucket + ", endpoint="
                    + (blank(endpoint) ? "" : uri == null ? "(invalid)" : ResumeFiles.redact(uri))
                    + ", region=" + region + ", accessKeyId=" + (blank(accessKeyId) ? "" : "(set)")
                    + ", secretAccessKey=" + (blank(secretAccessKey) ? "" : "(set)") + "]";
        }
    }

    private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchBucket", "NotFound");
    private static final Set<String> DENIED_CODES = Set.of(
            "AccessDenied",
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId",
            "InvalidToken",
            "ExpiredToken",
            "AllAccessDisabled",
            "AccountProblem",
            "InvalidSecurity");

    private final S3Client s3;
    private final String bucket;
    private final String description;

    /**
     * @param config where the bucket is and how to sign in; must be {@link Config#configured()}
     * @param timeout limit for one whole fetch
     * @throws IllegalArgumentException for a configuration that cannot work (the message names the
     *     setting, never its secret value)
     */
    public S3ResumeStore(Config config, Duration timeout) {
        if (!config.configured()) {
            throw new IllegalArgumentException("GH_RESUME_S3_BUCKET is not set");
        }
        this.bucket = config.bucket().trim();
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(
                                timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                        .socketTimeout(timeout))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(credentials(config));
        Region region = region(config.region());
        builder.region(region);
        String where;
        if (!blank(config.endpoint())) {
            URI endpoint = endpoint(config.endpoint());
            builder.endpointOverride(endpoint).forcePathStyle(true);
            where = "at " + ResumeFiles.redact(endpoint);
        } else {
            // AWS answers a bucket of another region with a redirect the SDK can follow
            builder.crossRegionAccessEnabled(true);
            where = "(AWS, " + region.id() + ")";
        }
        this.s3 = builder.build();
        this.description = "S3 bucket \"" + bucket + "\" " + where;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String copy(String key, Path target, long maxBytes) throws ResumeStoreException {
        GetObjectRequest request =
                GetObjectRequest.builder().bucket(bucket).key(key).build();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort(); // refused by its declared size: none of the body is read
                throw new ResumeStoreException(ResumeStoreException.Reason.TOO_LARGE, length + " bytes");
            }
            try {
                copyCapped(in, target, maxBytes);
            } catch (ResumeStoreException e) {
                in.abort();
                throw e;
            }
            String type = in.response().contentType();
            return type == null ? "" : type;
        } catch (S3Exception e) {
            throw refused(e);
        } catch (SdkException e) {
            throw failed(e);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** Streams to {@code target}, giving up as soon as more than {@code maxBytes} arrived. */
    static void copyCapped(InputStream in, Path target, long maxBytes) throws IOException, ResumeStoreException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new ResumeStoreException(
                            ResumeStoreException.Reason.TOO_LARGE, "more than " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    /** The store answered with an error: classified by its S3 error code, else its HTTP status. */
    private static ResumeStoreException refused(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        int status = e.statusCode();
        String detail = "HTTP " + status + (blank(code) ? "" : " " + code.replaceAll("[^A-Za-z0-9._-]", ""));
        if (status == 404 || code != null && NOT_FOUND_CODES.contains(code)) {
            return new ResumeStoreException(ResumeStoreException.Reason.NOT_FOUND, detail);
        }
        if (status == 401 || status == 403 || code != null && DENIED_CODES.contains(code)) {
            return new ResumeStoreException(ResumeStoreException.Reason.ACCESS_DENIED, detail);
        }
        if (status == 413 || "EntityTooLarge".equals(code)) {
            return new ResumeStoreException(ResumeStoreException.Reason.TOO_LARGE, detail);
        }
        if (status == 502 || status == 503 || status == 504) {
            return new ResumeStoreException(ResumeStoreException.Reason.UNREACHABLE, detail);
        }
        return new ResumeStoreException(ResumeStoreException.Reason.FAILED, detail);
    }

    /**
     * No answer from the store. Only class names go into the detail: SDK messages are not ours to
     * vouch for.
     */
    private static ResumeStoreException failed(Exception e) {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new ResumeStoreException(ResumeStoreException.Reason.UNREACHABLE, "no answer in time");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException
                    || t instanceof InterruptedIOException) {
                return new ResumeStoreException(
                        ResumeStoreException.Reason.UNREACHABLE, t.getClass().getSimpleName());
            }
        }
        if (e instanceof SdkClientException
                && e.getMessage() != null
                && e.getMessage().startsWith("Unable to load credentials")) {
            return new ResumeStoreException(
                    ResumeStoreException.Reason.ACCESS_DENIED,
                    "no credentials: set GH_RESUME_S3_ACCESS_KEY_ID and GH_RESUME_S3_SECRET_ACCESS_KEY, or the AWS ones");
        }
        return new ResumeStoreException(
                ResumeStoreException.Reason.FAILED, e.getClass().getSimpleName());
    }

    private static AwsCredentialsProvider credentials(Config config) {
        boolean id = !blank(config.accessKeyId());
        boolean secret = !blank(config.secretAccessKey());
        if (id != secret) {
            throw new IllegalArgumentException(
                    "GH_RESUME_S3_ACCESS_KEY_ID and GH_RESUME_S3_SECRET_ACCESS_KEY go together: "
                            + (id ? "the secret access key is missing" : "the access key id is missing"));
        }
        return id
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config.accessKeyId().trim(), config.secretAccessKey().trim()))
                : DefaultCredentialsProvider.builder().build();
    }

    private static Region region(String given) {
        if (!blank(given)) {
            return Region.of(given.trim().toLowerCase(Locale.ROOT));
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            return Region.US_EAST_1; // what S3-compatible stores mostly expect when they care at all
        }
    }

    private static URI endpoint(String raw) {
        URI uri = safeUri(raw);
        String scheme =
                uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "GH_RESUME_S3_ENDPOINT must be an http or https URL such as https://s3.example.com");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
            // the value is not repeated: it would carry what it should not
            throw new IllegalArgumentException("GH_RESUME_S3_ENDPOINT must not carry credentials or a query;"
                    + " give the keys as GH_RESUME_S3_ACCESS_KEY_ID and GH_RESUME_S3_SECRET_ACCESS_KEY");
        }
        return uri;
    }

    private static URI safeUri(String raw) {
        try {
            return new URI(raw.trim());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
