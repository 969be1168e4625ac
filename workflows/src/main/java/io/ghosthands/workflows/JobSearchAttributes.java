package io.ghosthands.workflows;

import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Temporal search attributes of a job's workflow (all {@code Keyword}), so that operators find
 * jobs in the Temporal Web UI or with {@code temporal workflow list --query "GhTargetWorkerId='adam'
 * AND GhStatus='paused'"}. The API sets them when it starts the workflow, if the namespace has them
 * registered; the workflow keeps them current on every transition, and only when they were set at
 * its start (a server without them, and histories recorded before they existed, see no upsert).
 */
public final class JobSearchAttributes {

    public static final SearchAttributeKey<String> JOB_TYPE = SearchAttributeKey.forKeyword("GhJobType");
    public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("GhStatus");
    public static final SearchAttributeKey<String> TARGET_WORKER_ID = SearchAttributeKey.forKeyword("GhTargetWorkerId");
    public static final SearchAttributeKey<String> WORKER_ID = SearchAttributeKey.forKeyword("GhWorkerId");
    public static final SearchAttributeKey<String> VALET_TASK_ID = SearchAttributeKey.forKeyword("GhValetTaskId");
    public static final SearchAttributeKey<String> USER_ID = SearchAttributeKey.forKeyword("GhUserId");

    public static final List<SearchAttributeKey<String>> ALL =
            List.of(JOB_TYPE, STATUS, TARGET_WORKER_ID, WORKER_ID, VALET_TASK_ID, USER_ID);

    private JobSearchAttributes() {}

    /** name → type, as {@code temporal server start-dev --search-attribute} takes them. */
    public static Map<String, String> namesAndTypes() {
        Map<String, String> all = new LinkedHashMap<>();
        for (SearchAttributeKey<String> key : ALL) {
            all.put(key.getName(), "Keyword");
        }
        return all;
    }

    /** The attributes a job's workflow starts with (blank values left out). */
    public static SearchAttributes atStart(
            String jobType, String status, String targetWorkerId, String valetTaskId, String userId) {
        SearchAttributes.Builder b = SearchAttributes.newBuilder();
        put(b, JOB_TYPE, jobType);
        put(b, STATUS, status);
        put(b, TARGET_WORKER_ID, targetWorkerId);
        put(b, VALET_TASK_ID, valetTaskId);
        put(b, USER_ID, userId);
        return b.build();
    }

    private static void put(SearchAttributes.Builder b, SearchAttributeKey<String> key, String value) {
        if (value != null && !value.isBlank()) {
            b.set(key, value);
        }
    }

    /** Version marker of the upserts: histories recorded by workers without them replay without them. */
    static final String CHANGE_ID = "search-attributes";

    /**
     * Workflow code: whether this run keeps its search attributes current: they were given at its
     * start (part of the history), and the run did not begin on a worker that predates the upserts
     * (a job started by an upgraded API but first run by an older worker; the version marker).
     */
    static boolean kept() {
        return Workflow.getTypedSearchAttributes().containsKey(JOB_TYPE)
                && Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == 1;
    }

    /**
     * Workflow code: sets {@code key=value} for each pair (null unsets) where it differs from the
     * current value, in one upsert; nothing when this run does not keep its attributes.
     */
    static void upsert(Object... keysAndValues) {
        if (!kept()) {
            return;
        }
        SearchAttributes current = Workflow.getTypedSearchAttributes();
        List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            SearchAttributeKey<String> key = (SearchAttributeKey<String>) keysAndValues[i];
            String value = (String) keysAndValues[i + 1];
            if (value != null && value.isBlank()) {
                value = null;
            }
            String was = current.containsKey(key) ? current.get(key) : null;
            if (Objects.equals(was, value)) {
                continue;
            }
            updates.add(value == null ? key.valueUnset() : key.valueSet(value));
        }
        if (!updates.isEmpty()) {
            Workflow.upsertTypedSearchAttributes(updates.toArray(new SearchAttributeUpdate<?>[0]));
        }
    }
}
