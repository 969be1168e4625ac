package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.activities.browser.TraceMode;
import io.ghosthands.activities.engine.resumefile.ResumeStorage;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.workflows.JobWorkflowImpl;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One worker process's identity and limits.
 *
 * @param workerId its id: the {@code --worker-id} given, or {@code worker-<host>-<random>}
 * @param named whether the id was given, i.e. whether it serves {@code gh-worker-<id>}
 * @param concurrency jobs at once
 * @param statusPort port of {@code /worker/status}; 0 picks a free one
 * @param browser how to start Chromium
 * @param publicUrl the API's base URL for artifact links (asked when a link is made: a test's API
 *     port is known only once its server listens)
 * @param serviceKey {@code GH_SERVICE_KEY}: signs artifact links so browsers can open them; blank
 *     leaves them unsigned
 * @param jobs how jobs pause for humans and report back
 * @param statusBind the address the status port listens on ({@code GH_WORKER_BIND}): loopback
 *     unless widened, since its {@code POST} routes act on the worker
 * @param outbound what the jobs' pages and callbacks may reach; the worker adds its status port to
 *     its own ports
 */
public record WorkerSettings(
        String workerId,
        boolean named,
        int concurrency,
        int statusPort,
        BrowserSettings browser,
        Supplier<String> publicUrl,
        String serviceKey,
        Jobs jobs,
        String statusBind,
        OutboundUrlPolicy outbound) {

    /** {@code GH_WORKER_BIND}'s default: the status port answers this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    public static final int MAX_ID_LENGTH = 100;

    /**
     * @param hitlTimeoutSeconds {@code GH_HITL_TIMEOUT}: how long a pause waits for a human unless the
     *     job says otherwise
     * @param callbackSecret {@code GH_CALLBACK_SECRET}: signs callbacks (blank: the service key)
     * @param callbackMaxAge {@code GH_CALLBACK_MAX_AGE}: how long a callback is retried
     * @param callbackMaxInterval the longest wait between two attempts of a callback
     * @param sessionScheduleToStart how long a browser step may wait for its worker
     * @param trace what Playwright trace each job keeps ({@code GH_TRACE})
     * @param resumeStorage where résumé {@code storage_path}s and {@code s3_key}s are found: an S3
     *     bucket, Supabase Storage or {@code GH_RESUME_DIR}
     * @param callbackKeyHosts {@code GH_CALLBACK_KEY_HOSTS}: the callback hosts sent the service key
     */
    public record Jobs(
            int hitlTimeoutSeconds,
            String callbackSecret,
            Duration callbackMaxAge,
            Duration callbackMaxInterval,
            Duration sessionScheduleToStart,
            TraceMode trace,
            ResumeStorage resumeStorage,
            List<String> callbackKeyHosts) {
        public static final Jobs DEFAULT = new Jobs(
                300,
                "",
                Duration.ofHours(24),
                Duration.ofMinutes(5),
                Duration.ofMinutes(5),
                TraceMode.ACTIONS,
                ResumeStorage.NONE,
                List.of());

        public Jobs {
            callbackKeyHosts = callbackKeyHosts == null ? List.of() : List.copyOf(callbackKeyHosts);
        }

        /** The same, with these callback hosts sent the service key. */
        public Jobs withCallbackKeyHosts(List<String> hosts) {
            return new Jobs(
                    hitlTimeoutSeconds,
                    callbackSecret,
                    callbackMaxAge,
                    callbackMaxInterval,
                    sessionScheduleToStart,
                    trace,
                    resumeStorage,
                    hosts);
        }

        public JobWorkflowImpl.Settings workflowSettings() {
            return new JobWorkflowImpl.Settings(sessionScheduleToStart, callbackMaxAge, callbackMaxInterval);
        }
    }

    public WorkerSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("worker concurrency must be at least 1, got " + concurrency);
        }
        if (jobs == null) {
            jobs = Jobs.DEFAULT;
        }
        if (statusBind == null || statusBind.isBlank()) {
            statusBind = LOOPBACK;
        }
        if (outbound == null) {
            outbound = OutboundUrlPolicy.strict();
        }
    }

    /**
     * Settings whose status port listens on loopback and whose jobs may reach neither loopback nor
     * private networks (production's default; tests that serve pages on loopback say otherwise with
     * {@link #withOutbound}).
     */
    public WorkerSettings(
            String workerId,
            boolean named,
            int concurrency,
            int statusPort,
            BrowserSettings browser,
            Supplier<String> publicUrl,
            String serviceKey,
            Jobs jobs) {
        this(workerId, named, concurrency, statusPort, browser, publicUrl, serviceKey, jobs, LOOPBACK, null);
    }

    /** The same settings with another outbound URL policy. */
    public WorkerSettings withOutbound(OutboundUrlPolicy policy) {
        return new WorkerSettings(
                workerId, named, concurrency, statusPort, browser, publicUrl, serviceKey, jobs, statusBind, policy);
    }

    /** Settings with the default job behaviour. */
    public WorkerSettings(
            String workerId,
            boolean named,
            int concurrency,
            int statusPort,
            BrowserSettings browser,
            Supplier<String> publicUrl,
            String serviceKey) {
        this(workerId, named, concurrency, statusPort, browser, publicUrl, serviceKey, Jobs.DEFAULT);
    }

    /**
     * The id for a worker: {@code given} when set (it must be 1–100 characters of letters, digits and
     * {@code . _ -}, as it becomes part of a task-queue name), else an automatic one.
     */
    public static String idFor(String given) {
        if (given == null || given.isEmpty()) {
            return "worker-" + host() + "-" + HexFormat.of().formatHex(SecureRandom.getSeed(3));
        }
        if (given.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(
                    "--worker-id must be at most " + MAX_ID_LENGTH + " characters (got " + given.length() + ")");
        }
        if (!given.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "--worker-id may contain only letters, digits, '.', '_' and '-' (got '" + given + "')");
        }
        return given;
    }

    public static String host() {
        try {
            String name = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            int dot = name.indexOf('.');
            name = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^a-z0-9-]", "");
            return name.isEmpty() ? "host" : name;
        } catch (UnknownHostException e) {
            return "host";
        }
    }
}
