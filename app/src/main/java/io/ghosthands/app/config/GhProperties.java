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

  private final Api api = new Api();
  private final Jobs jobs = new Jobs();
  private final Hitl hitl = new Hitl();
  private final Callbacks callbacks = new Callbacks();
  private final Network network = new Network();

  public Network getNetwork() {
    return network;
  }

  /** What jobs may make GhostHands reach (docs/security.md). */
  public static class Network {
    /**
     * {@code GH_ALLOW_PRIVATE_NETWORKS}: whether a job's {@code target_url}, its page's requests and
     * its {@code callback_url} may reach loopback and private ranges (10/8, 172.16/12, 192.168/16,
     * 100.64/10, fc00::/7). Off in production; {@code gh dev} and the tests turn it on, as their
     * pages are on this machine. Link-local and cloud metadata addresses and GhostHands' own ports
     * stay refused either way.
     */
    private boolean allowPrivateNetworks = false;

    public boolean isAllowPrivateNetworks() {
      return allowPrivateNetworks;
    }

    public void setAllowPrivateNetworks(boolean allowPrivateNetworks) {
      this.allowPrivateNetworks = allowPrivateNetworks;
    }
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

  public Hitl getHitl() {
    return hitl;
  }

  public Callbacks getCallbacks() {
    return callbacks;
  }

  /** Human in the loop. */
  public static class Hitl {
    /** {@code GH_HITL_TIMEOUT}: seconds a paused job waits for a human (a job may set its own). */
    private int timeoutSeconds = 300;

    public int getTimeoutSeconds() {
      return timeoutSeconds;
    }

    public void setTimeoutSeconds(int timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
    }
  }

  /** Callbacks to {@code callback_url}. */
  public static class Callbacks {
    /** {@code GH_CALLBACK_SECRET}: HMAC key of {@code X-GH-Signature}. Empty: the service key. */
    private String secret = "";

    /** {@code GH_CALLBACK_MAX_AGE}: how long a callback is retried (e.g. {@code 24h}, {@code 3600s}). */
    private java.time.Duration maxAge = java.time.Duration.ofHours(24);

    /** {@code GH_CALLBACK_MAX_INTERVAL}: the longest wait between two attempts. */
    private java.time.Duration maxInterval = java.time.Duration.ofMinutes(5);

    /**
     * {@code GH_CALLBACK_KEY_HOSTS}: the callback hosts (comma list, e.g. VALET's) that are sent
     * {@code X-GH-Service-Key}; every other receiver gets the HMAC signature alone, so naming a
     * {@code callback_url} does not hand anyone the service key. Empty: no receiver gets the key.
     */
    private java.util.List<String> keyHosts = new java.util.ArrayList<>();

    public java.util.List<String> getKeyHosts() {
      return keyHosts;
    }

    public void setKeyHosts(java.util.List<String> keyHosts) {
      this.keyHosts = keyHosts;
    }

    public String getSecret() {
      return secret;
    }

    public void setSecret(String secret) {
      this.secret = secret;
    }

    public java.time.Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(java.time.Duration maxAge) {
      this.maxAge = maxAge;
    }

    public java.time.Duration getMaxInterval() {
      return maxInterval;
    }

    public void setMaxInterval(java.time.Duration maxInterval) {
      this.maxInterval = maxInterval;
    }
  }

  public Jobs getJobs() {
    return jobs;
  }

  /** How jobs run. */
  public static class Jobs {
    /**
     * {@code GH_RETRY_BACKOFF_SECONDS}: wait before a job's first automatic retry; doubles with each
     * retry, capped at 60 s.
     */
    private int retryBackoffSeconds = 5;

    /**
     * {@code GH_PREFERRED_FALLBACK}: seconds a job with a target worker and {@code preferred} affinity
     * waits for that worker before the shared pool takes it.
     */
    private int preferredFallbackSeconds = 60;

    /**
     * {@code GH_STRICT_START_DEADLINE}: seconds a job with {@code strict} affinity waits for its
     * worker before it expires ({@code worker_unavailable}).
     */
    private int startDeadlineSeconds = 600;

    public int getPreferredFallbackSeconds() {
      return preferredFallbackSeconds;
    }

    public void setPreferredFallbackSeconds(int preferredFallbackSeconds) {
      this.preferredFallbackSeconds = preferredFallbackSeconds;
    }

    public int getStartDeadlineSeconds() {
      return startDeadlineSeconds;
    }

    public void setStartDeadlineSeconds(int startDeadlineSeconds) {
      this.startDeadlineSeconds = startDeadlineSeconds;
    }

    public int getRetryBackoffSeconds() {
      return retryBackoffSeconds;
    }

    public void setRetryBackoffSeconds(int retryBackoffSeconds) {
      this.retryBackoffSeconds = retryBackoffSeconds;
    }
  }
  private final Worker worker = new Worker();
  private final Browser browser = new Browser();

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

  public Api getApi() {
    return api;
  }

  public Worker getWorker() {
    return worker;
  }

  public Browser getBrowser() {
    return browser;
  }

  /** The REST API role. */
  public static class Api {
    /** Whether this process serves the REST API (set by the launcher: {@code gh api}, {@code gh dev}). */
    private boolean enabled = true;

    /**
     * Seconds a job may stay {@code pending} (its workflow not started, e.g. Temporal was down) before
     * the dispatcher starts it again.
     */
    private int redispatchAfterSeconds = 5;

    /**
     * Threads writing new jobs to the database; each writes every job that arrived while it was busy
     * in one statement ({@code GH_CREATE_WRITERS}).
     */
    private int createWriters = 2;

    /**
     * {@code GH_MAX_BODY_BYTES}: the largest request body the API reads (1 MiB, as the earlier
     * server's); a larger one is answered 413.
     */
    private long maxBodyBytes = 1024 * 1024;

    public long getMaxBodyBytes() {
      return maxBodyBytes;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Seconds a queued, running or paused job must have gone without a sign of life (its row's
     * {@code updated_at} / {@code last_heartbeat}) before the reconciler asks Temporal whether its
     * workflow still runs; 0 turns the reconciler off.
     */
    private int reconcileAfterSeconds = 60;

    public int getReconcileAfterSeconds() {
      return reconcileAfterSeconds;
    }

    public void setReconcileAfterSeconds(int reconcileAfterSeconds) {
      this.reconcileAfterSeconds = reconcileAfterSeconds;
    }

    public int getCreateWriters() {
      return createWriters;
    }

    public void setCreateWriters(int createWriters) {
      this.createWriters = createWriters;
    }

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getRedispatchAfterSeconds() {
      return redispatchAfterSeconds;
    }

    public void setRedispatchAfterSeconds(int redispatchAfterSeconds) {
      this.redispatchAfterSeconds = redispatchAfterSeconds;
    }
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

  /** Chromium. */
  public static class Browser {
    /** {@code GH_CHROMIUM_PATH}: the Chromium/Chrome binary. Empty: a system Chromium, else Playwright's. */
    private String chromiumPath = "";

    /**
     * {@code GH_TRACE}: the Playwright trace each job keeps as a downloadable artifact: {@code actions}
     * (default), {@code full} (with DOM snapshots; slower) or {@code off}.
     */
    private String trace = "actions";

    /** {@code GH_SPARE_CONTEXT}: each browser lane keeps a blank context ready for its next job. */
    private boolean spareContext = true;

    public boolean isSpareContext() {
      return spareContext;
    }

    public void setSpareContext(boolean spareContext) {
      this.spareContext = spareContext;
    }

    public String getTrace() {
      return trace;
    }

    public void setTrace(String trace) {
      this.trace = trace;
    }

    /** {@code GH_HEADLESS}: run Chromium without a window. */
    private boolean headless = true;

    /** {@code GH_CHROMIUM_ARGS}: extra Chromium flags, space-separated (e.g. {@code --proxy-server=…}). */
    private String extraArgs = "";

    public String getExtraArgs() {
      return extraArgs;
    }

    public void setExtraArgs(String extraArgs) {
      this.extraArgs = extraArgs;
    }

    public String getChromiumPath() {
      return chromiumPath;
    }

    public void setChromiumPath(String chromiumPath) {
      this.chromiumPath = chromiumPath;
    }

    public boolean isHeadless() {
      return headless;
    }

    public void setHeadless(boolean headless) {
      this.headless = headless;
    }
  }
}
