package io.ghosthands.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * All of GhostHands' own settings ({@code gh.*}); {@code application.yaml} maps each from its
 * environment variable. Temporal's connection is {@code spring.temporal.*} (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE) and the database is {@code spring.datasource.*} (DATABASE_URL, resolved by the
 * launcher).
 */
@ConfigurationProperties(prefix = "gh")
public class GhProperties {

    /** {@code GH_SERVICE_KEY}: the key clients send in {@code X-GH-Service-Key}. Required by the API. */
    private String serviceKey = "";

    /**
     * {@code GH_PUBLIC_URL}: the API's base URL as clients reach it, used in artifact links. Default
     * {@code http://localhost:<GH_PORT>}.
     */
    private String publicUrl = "";

    private final ApiProperties api = new ApiProperties();
    private final JobsProperties jobs = new JobsProperties();
    private final HitlProperties hitl = new HitlProperties();
    private final CallbackProperties callbacks = new CallbackProperties();
    private final NetworkProperties network = new NetworkProperties();

    public NetworkProperties getNetwork() {
        return network;
    }

    /**
     * {@code GH_ENCRYPTION_KEY}: encrypts every Temporal payload (AES-256-GCM) — base64 of 32 bytes, or
     * a passphrase. Empty: derived from the service key. API and workers must agree.
     */
    private String encryptionKey = "";

    public String getEncryptionKey() {
        return encryptionKey;
    }

    public void setEncryptionKey(String encryptionKey) {
        this.encryptionKey = encryptionKey;
    }

    public HitlProperties getHitl() {
        return hitl;
    }

    public CallbackProperties getCallbacks() {
        return callbacks;
    }

    public JobsProperties getJobs() {
        return jobs;
    }

    private final Worker worker = new Worker();
    private final BrowserProperties browser = new BrowserProperties();

    public String getServiceKey() {
        return serviceKey;
    }

    public void setServiceKey(String serviceKey) {
        this.serviceKey = serviceKey;
    }

    public String getPublicUrl() {
        return publicUrl;
    }

    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    public ApiProperties getApi() {
        return api;
    }

    public Worker getWorker() {
        return worker;
    }

    public BrowserProperties getBrowser() {
        return browser;
    }

    /** The worker role. */
    public static class Worker {
        /** Whether this process runs a worker (set by the launcher: {@code gh worker}, {@code gh dev}). */
        private boolean enabled = true;

        /**
         * {@code GH_WORKER_ID} / {@code --worker-id}: serve {@code gh-worker-<id>} as well as the shared
         * queue. Empty: an automatic id, shared queue only.
         */
        private String id = "";

        /** {@code GH_WORKER_PORT}: the worker's status port ({@code /worker/status}); 0 picks a free one. */
        private int port = 3101;

        /**
         * {@code GH_WORKER_BIND}: the address the status port listens on. Loopback by default, so only
         * this machine reaches it; {@code 0.0.0.0} (or one of the host's addresses) lets VALET's health
         * probes in from elsewhere. Its {@code POST} routes need the service key either way.
         */
        private String bind = "127.0.0.1";

        public String getBind() {
            return bind;
        }

        public void setBind(String bind) {
            this.bind = bind;
        }

        /** {@code GH_WORKER_CONCURRENCY}: jobs run at once, each in its own browser context. */
        private int concurrency = 2;

        /**
         * {@code GH_RESUME_DIR}: the folder résumé {@code storage_path}s and {@code s3_key}s are relative
         * to, when neither an S3 bucket nor Supabase Storage is configured.
         */
        private String resumeDir = "";

        /** Where résumé {@code storage_path}s and {@code s3_key}s are fetched from (docs/resume-storage.md). */
        private final ResumeStorage resumeStorage = new ResumeStorage();

        public ResumeStorage getResumeStorage() {
            return resumeStorage;
        }

        /**
         * {@code GH_DRAIN_TIMEOUT}: seconds a stopping worker (first SIGTERM/Ctrl-C, or {@code POST
         * /worker/drain}) lets its running browser steps finish before it stops them hard.
         */
        private int drainTimeoutSeconds = 30;

        public int getDrainTimeoutSeconds() {
            return drainTimeoutSeconds;
        }

        public void setDrainTimeoutSeconds(int drainTimeoutSeconds) {
            this.drainTimeoutSeconds = drainTimeoutSeconds;
        }

        public String getResumeDir() {
            return resumeDir;
        }

        public void setResumeDir(String resumeDir) {
            this.resumeDir = resumeDir;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getId() {
            return id;
        }

        public void setId(String id) {
            this.id = id;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }
    }

    /**
     * The buckets résumé {@code storage_path}s and {@code s3_key}s name objects in. The first
     * configured wins: {@link S3} (a bucket is named), then {@link Supabase} (URL and key set), then
     * {@code GH_RESUME_DIR}.
     */
    public static class ResumeStorage {
        private final S3 s3 = new S3();
        private final Supabase supabase = new Supabase();

        public S3 getS3() {
            return s3;
        }

        public Supabase getSupabase() {
            return supabase;
        }
    }

    /** An S3 bucket on AWS or an S3-compatible store (Supabase's S3 endpoint, MinIO, R2, …). */
    public static class S3 {
        /** {@code GH_RESUME_S3_BUCKET}: the bucket; setting it makes S3 the résumé store. */
        private String bucket = "";

        /**
         * {@code GH_RESUME_S3_ENDPOINT}: an S3-compatible store's URL (then buckets are addressed by path,
         * {@code <endpoint>/<bucket>/<key>}). Empty: AWS S3.
         */
        private String endpoint = "";

        /**
         * {@code GH_RESUME_S3_REGION}: the region requests are signed for. Empty: {@code AWS_REGION} or
         * the AWS profile's, else {@code us-east-1}.
         */
        private String region = "";

        /**
         * {@code GH_RESUME_S3_ACCESS_KEY_ID}: with the secret below, the credentials. Both empty: the AWS
         * default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profile, IAM role).
         */
        private String accessKeyId = "";

        /** {@code GH_RESUME_S3_SECRET_ACCESS_KEY}: the secret of that access key; never logged. */
        private String secretAccessKey = "";

        public String getBucket() {
            return bucket;
        }

        public void setBucket(String bucket) {
            this.bucket = bucket;
        }

        public String getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        public String getRegion() {
            return region;
        }

        public void setRegion(String region) {
            this.region = region;
        }

        public String getAccessKeyId() {
            return accessKeyId;
        }

        public void setAccessKeyId(String accessKeyId) {
            this.accessKeyId = accessKeyId;
        }

        public String getSecretAccessKey() {
            return secretAccessKey;
        }

        public void setSecretAccessKey(String secretAccessKey) {
            this.secretAccessKey = secretAccessKey;
        }
    }

    /** Supabase Storage, through its REST API (how VALET deploys). */
    public static class Supabase {
        /** {@code SUPABASE_URL}: the project URL, e.g. {@code https://abcd.supabase.co}. */
        private String url = "";

        /** {@code SUPABASE_SERVICE_ROLE_KEY}: sent as the bearer token; never logged. */
        private String serviceRoleKey = "";

        /** {@code GH_RESUME_BUCKET}: the bucket résumés are in. */
        private String bucket = "resumes";

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getServiceRoleKey() {
            return serviceRoleKey;
        }

        public void setServiceRoleKey(String serviceRoleKey) {
            this.serviceRoleKey = serviceRoleKey;
        }

        public String getBucket() {
            return bucket;
        }

        public void setBucket(String bucket) {
            this.bucket = bucket;
        }
    }
}
