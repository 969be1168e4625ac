package io.ghosthands.app.jobs;

import io.ghosthands.workflows.JobSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Whether the Temporal namespace has GhostHands' search attributes ({@link JobSearchAttributes}), so
 * that job workflows can be started with them. Checked on first use and, while they are missing,
 * again every minute. Missing ones are registered when the server lets us (a dev server, a
 * self-hosted cluster with the operator API open; the SDK's in-process test server, whose attributes
 * are global); where that is refused (Temporal Cloud: register them in its UI or with tcld) jobs
 * simply run without them.
 */
@Component
public class TemporalSearchAttributes {

    private static final Logger log = LoggerFactory.getLogger(TemporalSearchAttributes.class);
    private static final long RECHECK_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final WorkflowServiceStubs stubs;
    private final String namespace;

    private volatile Boolean available;
    private volatile long checkedAt;
    private volatile boolean warned;

    public TemporalSearchAttributes(
            WorkflowServiceStubs stubs, @Value("${spring.temporal.namespace:default}") String namespace) {
        this.stubs = stubs;
        this.namespace = namespace;
    }

    /** Whether new job workflows get their search attributes. */
    public boolean available() {
        Boolean known = available;
        if (known != null && (known || System.nanoTime() - checkedAt < RECHECK_NANOS)) {
            return known;
        }
        synchronized (this) {
            known = available;
            if (known != null && (known || System.nanoTime() - checkedAt < RECHECK_NANOS)) {
                return known;
            }
            boolean now = check();
            available = now;
            checkedAt = System.nanoTime();
            return now;
        }
    }

    /** Checks the server again now (see {@link JobService#recheckSearchAttributes}). */
    public synchronized void recheck() {
        available = check();
        checkedAt = System.nanoTime();
    }

    /** The server refused a start for its search attributes: go without them for a while. */
    public void refused(String why) {
        available = false;
        checkedAt = System.nanoTime();
        warnOnce("Temporal refused the job's search attributes (" + why + ")");
    }

    private boolean check() {
        OperatorServiceStubs operator;
        try {
            // the workflow service's own channel (and its TLS, API key and in-process transport)
            operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(stubs.getOptions())
                    .setTarget(null)
                    .setChannel(stubs.getRawChannel())
                    .validateAndBuildWithDefaults());
        } catch (RuntimeException e) {
            warnOnce(e.toString());
            return false;
        }
        try {
            List<String> missing = new ArrayList<>();
            try {
                ListSearchAttributesResponse have = list(operator);
                for (SearchAttributeKey<String> key : JobSearchAttributes.ALL) {
                    if (!have.getCustomAttributesMap().containsKey(key.getName())) {
                        missing.add(key.getName());
                    }
                }
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                    throw e;
                }
                // the SDK's test server: no list, but it takes (global) registrations
                add(
                        operator,
                        JobSearchAttributes.ALL.stream()
                                .map(SearchAttributeKey::getName)
                                .toList());
                log.info("Temporal search attributes {} registered on the embedded server", names());
                return true;
            }
            if (missing.isEmpty()) {
                log.info("Temporal search attributes {} are kept on every job (namespace {})", names(), namespace);
                return true;
            }
            add(operator, missing);
            ListSearchAttributesResponse after = list(operator);
            for (SearchAttributeKey<String> key : JobSearchAttributes.ALL) {
                if (!after.getCustomAttributesMap().containsKey(key.getName())) {
                    warnOnce("search attribute " + key.getName() + " is still missing after registering it");
                    return false;
                }
            }
            log.info("registered the Temporal search attributes {} in namespace {}", missing, namespace);
            return true;
        } catch (RuntimeException e) {
            warnOnce(e.toString());
            return false;
        } finally {
            operator.shutdown();
        }
    }

    private ListSearchAttributesResponse list(OperatorServiceStubs operator) {
        return operator.blockingStub()
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                        .setNamespace(namespace)
                        .build());
    }

    private void add(OperatorServiceStubs operator, List<String> names) {
        AddSearchAttributesRequest.Builder request =
                AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
        for (String name : names) {
            request.putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
        try {
            operator.blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS).addSearchAttributes(request.build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        }
    }

    private void warnOnce(String why) {
        if (warned) {
            return;
        }
        warned = true;
        log.warn(
                "jobs are not searchable in Temporal (namespace {}): {}. Register the Keyword attributes {} (e.g."
                        + " 'temporal operator search-attribute create --namespace {} --type Keyword --name GhStatus', one per"
                        + " name); new jobs pick them up within a minute",
                namespace,
                why,
                names(),
                namespace);
    }

    private static List<String> names() {
        return JobSearchAttributes.ALL.stream().map(SearchAttributeKey::getName).toList();
    }
}
