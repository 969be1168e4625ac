package io.ghosthands.app.support;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.db.DatabaseUrl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * GhostHands started the way the CLI starts it ({@link GhostHands#start}), on free ports, against a
 * fresh database and the shared test Temporal, in a namespace of its own.
 */
public final class TestStack implements AutoCloseable {

    public static final String SERVICE_KEY = "test-service-key";

    /**
     * Tests' browsers resolve no name but loopback ones, so a job aimed at a real site (the seed's
     * curl examples name example.com) fails fast without any traffic leaving the machine.
     */
    public static final String LOOPBACK_ONLY =
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1";

    private final ConfigurableApplicationContext context;
    private final TestDatabase database;
    private final String namespace;
    private final ApiClient api;

    private final String temporalAddress;

    private TestStack(
            ConfigurableApplicationContext context, TestDatabase database, String namespace, String temporalAddress) {
        this.temporalAddress = temporalAddress;
        this.context = context;
        this.database = database;
        this.namespace = namespace;
        String port = context.getEnvironment().getProperty("local.server.port");
        this.api = port == null ? null : new ApiClient("http://127.0.0.1:" + port, SERVICE_KEY);
    }

    public static TestStack start(String namespace, GhostHands.Roles roles, Map<String, Object> extra) {
        return start(TestTemporal.address(), TestTemporal.inProcessName(), namespace, roles, extra);
    }

    /**
     * The same on the JVM's shared real Temporal server ({@link RealTemporal#sharedIfInstalled}) when
     * the Temporal CLI is installed (CI installs it), else on the embedded server.
     */
    public static TestStack startOnRealIfInstalled(
            String namespace, GhostHands.Roles roles, Map<String, Object> extra) {
        Optional<RealTemporal> real = RealTemporal.sharedIfInstalled();
        if (real.isEmpty()) {
            return start(namespace, roles, extra);
        }
        real.get().registerNamespace(namespace);
        return startOn(real.get().address(), namespace, roles, extra);
    }

    /**
     * The same against a real Temporal server at {@code temporalAddress} (see {@link RealTemporal}),
     * over TCP like any deployment; {@code namespace} must exist there.
     */
    public static TestStack startOn(
            String temporalAddress, String namespace, GhostHands.Roles roles, Map<String, Object> extra) {
        return start(temporalAddress, null, namespace, roles, extra);
    }

    private static TestStack start(
            String temporalAddress,
            String inProcessName,
            String namespace,
            GhostHands.Roles roles,
            Map<String, Object> extra) {
        return start(
                temporalAddress, inProcessName, namespace, roles, extra, TestDatabase.createEmpty(namespace), null);
    }

    /**
     * The same on the embedded Temporal test server, against a database the test provides (e.g. on a
     * {@link PrivatePostgres} it stops and restarts); {@link #database()} is then null.
     */
    public static TestStack startOnDatabase(
            DatabaseUrl url, String namespace, GhostHands.Roles roles, Map<String, Object> extra) {
        return start(TestTemporal.address(), TestTemporal.inProcessName(), namespace, roles, extra, null, url);
    }

    private static TestStack start(
            String temporalAddress,
            String inProcessName,
            String namespace,
            GhostHands.Roles roles,
            Map<String, Object> extra,
            TestDatabase database,
            DatabaseUrl url) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("server.port", 0);
        props.put("gh.worker.port", 0);
        props.put("gh.service-key", SERVICE_KEY);
        props.put("spring.temporal.connection.target", temporalAddress);
        if (inProcessName != null) {
            props.put("gh.temporal.in-process", inProcessName);
        }
        props.put("spring.temporal.namespace", namespace);
        props.put("gh.api.redispatch-after-seconds", 2);
        props.put("gh.browser.extra-args", LOOPBACK_ONLY);
        props.put("gh.jobs.retry-backoff-seconds", 1);
        // the tests' pages and callback receivers are on loopback (own ports stay refused)
        props.put("gh.network.allow-private-networks", true);
        props.putAll(extra);
        return new TestStack(
                GhostHands.start(roles, database != null ? database.url() : url, props),
                database,
                namespace,
                temporalAddress);
    }

    /** {@code host:port} of the Temporal server this stack uses (for other processes to join it). */
    public String temporalAddress() {
        return temporalAddress;
    }

    public ApiClient api() {
        return api;
    }

    /** The stack's database (null for {@link #startOnDatabase}). */
    public DataSource dataSource() {
        return database.dataSource();
    }

    public TestDatabase database() {
        return database;
    }

    /** This stack's outbound URL policy, for workers a test starts itself: they share its own ports. */
    public OutboundUrlPolicy outboundPolicy() {
        return context.getBean(OutboundUrlPolicy.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * A Temporal client on this stack's namespace, with its payload encryption, for workers a test
     * starts itself.
     */
    public WorkflowClient temporalClient() {
        return WorkflowClient.newInstance(
                context.getBean(WorkflowServiceStubs.class),
                WorkflowClientOptions.newBuilder()
                        .setNamespace(namespace)
                        .setDataConverter(context.getBean(DataConverter.class))
                        .build());
    }

    @Override
    public void close() {
        context.close();
    }
}
