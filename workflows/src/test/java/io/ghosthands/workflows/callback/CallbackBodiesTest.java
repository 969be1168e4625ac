package io.ghosthands.workflows.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.workflows.codec.EncryptionCodec;
import io.ghosthands.workflows.payload.Callback;
import io.ghosthands.workflows.payload.Interaction;
import io.ghosthands.workflows.payload.Progress;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The typed callback bodies render exactly what the job workflow's maps rendered before them: the
 * callbacks recorded in the histories under {@code src/test/resources/histories} (written by
 * earlier versions, with the map-building code) are rebuilt from their values through the records
 * and must come out byte for byte as recorded (key order, nulls, number forms); the rules a
 * history cannot show (a failed job's null code, a cancel without one, questions) are checked key by
 * key.
 */
class CallbackBodiesTest {

    private static final DataConverter JSON = DefaultDataConverter.newDefaultInstance();

    @Test
    void theCallbacksOfAPlainHistoryRenderByteForByte() throws Exception {
        List<String> statuses = rebuildAll("paused-resumed-completed-before-local-completion.json", p -> p);
        assertThat(statuses).containsExactly("running", "needs_human", "resumed", "completed");
    }

    @Test
    void theCallbacksOfAnEncryptedRealServerHistoryRenderByteForByte() throws Exception {
        EncryptionCodec codec = EncryptionCodec.forKey("test-service-key");
        List<String> statuses = rebuildAll(
                "real-server-paused-killed-resumed-completed.json",
                p -> codec.decode(List.of(p)).get(0));
        assertThat(statuses).contains("running", "needs_human", "resumed", "completed");
    }

    @Test
    void theFailedAndCancelledCallbacksOfPreSplitHistoriesRenderByteForByte() throws Exception {
        assertThat(rebuildAll("pre-split-paused-human-timeout-failed.json", p -> p))
                .containsExactly("running", "needs_human", "failed");
        assertThat(rebuildAll("pre-split-cancelled-while-step-finished.json", p -> p))
                .containsExactly("running", "cancelled");
    }

    @Test
    void failedAlwaysNamesItsCodeAndCostAndOmitsAbsentResultData() {
        Map<String, Object> body =
                envelope(new FailedBody("2026-01-01T00:00:00Z", null, null, "boom", Cost.ofActions(4)));
        assertThat(new ArrayList<>(body.keySet()))
                .containsExactly(
                        "job_id",
                        "valet_task_id",
                        "status",
                        "worker_id",
                        "event_id",
                        "timestamp",
                        "completed_at",
                        "error_code",
                        "error_message",
                        "cost");
        assertThat(body).containsEntry("status", "failed").containsEntry("error_code", null);
        assertThat(body.get("cost")).isEqualTo(Map.of("total_cost_usd", 0.0, "action_count", 4, "total_tokens", 0));

        Map<String, Object> submitted =
                envelope(new FailedBody("t", "timeout", Map.of("submitted_at", "s"), "m", Cost.ofActions(0)));
        assertThat(new ArrayList<>(submitted.keySet()))
                .containsSubsequence("error_code", "result_data", "error_message");
    }

    @Test
    void cancelledNamesACodeOnlyWhenThereIsOneAndHasNoCost() {
        Map<String, Object> plain = envelope(new CancelledBody("t", null, null, "Job cancelled"));
        assertThat(new ArrayList<>(plain.keySet()))
                .containsExactly(
                        "job_id",
                        "valet_task_id",
                        "status",
                        "worker_id",
                        "event_id",
                        "timestamp",
                        "completed_at",
                        "error_message");
        Map<String, Object> human = envelope(new CancelledBody("t", "human_cancelled", Map.of("a", 1), "Cancelled"));
        assertThat(new ArrayList<>(human.keySet()))
                .endsWith("completed_at", "error_code", "result_data", "error_message");
        assertThat(human).containsEntry("status", "cancelled").containsEntry("error_code", "human_cancelled");
    }

    @Test
    void needsHumanListsQuestionsOnlyWhenThePageAsksSome() {
        Interaction blocked = new Interaction("captcha", "d", null, "u", 0.5, List.of(), List.of());
        Interaction asking = new Interaction("screening_question", "d", null, "u", 0.5, List.of(), List.of("Why?"));
        assertThat(interaction(blocked)).doesNotContainKey("questions").containsEntry("screenshot_url", null);
        assertThat(interaction(asking)).containsEntry("questions", List.of("Why?"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> interaction(Interaction why) {
        return (Map<String, Object>) envelope(new NeedsHumanBody(
                        PauseInteraction.of(why, "p", "e", 300, 1), new Progress("filling_form", 40, 3)))
                .get("interaction");
    }

    private static Map<String, Object> envelope(CallbackBody body) {
        return new CallbackEnvelope("job-1", null, null, "ev-1", "2026-01-01T00:00:00Z", body).toMap();
    }

    /** Rebuilds every recorded callback through the records; returns their statuses in order. */
    private static List<String> rebuildAll(String history, UnaryOperator<Payload> decode) throws IOException {
        List<String> statuses = new ArrayList<>();
        for (HistoryEvent e : history(history).getEvents()) {
            if (!e.hasActivityTaskScheduledEventAttributes()
                    || !e.getActivityTaskScheduledEventAttributes()
                            .getActivityType()
                            .getName()
                            .equals("Deliver")) {
                continue;
            }
            Payload recorded = decode.apply(
                    e.getActivityTaskScheduledEventAttributes().getInput().getPayloads(0));
            Callback callback = JSON.fromPayload(recorded, Callback.class, Callback.class);
            Map<String, Object> b = callback.body();
            CallbackEnvelope typed = new CallbackEnvelope(
                    (String) b.get("job_id"),
                    (String) b.get("valet_task_id"),
                    (String) b.get("worker_id"),
                    (String) b.get("event_id"),
                    (String) b.get("timestamp"),
                    typed(b));
            Callback rebuilt = new Callback(callback.jobId(), callback.url(), callback.eventId(), typed.toMap());
            assertThat(JSON.toPayload(rebuilt).orElseThrow().getData().toStringUtf8())
                    .as("the %s callback", b.get("status"))
                    .isEqualTo(recorded.getData().toStringUtf8());
            statuses.add((String) b.get("status"));
        }
        return statuses;
    }

    /** The record a recorded body's values make. */
    @SuppressWarnings("unchecked")
    private static CallbackBody typed(Map<String, Object> b) {
        switch ((String) b.get("status")) {
            case "running":
                return new RunningBody(((Number) b.get("retry_count")).intValue());
            case "resumed":
                return new ResumedBody((String) b.get("resumed_at"), (String) b.get("resolution_type"));
            case "completed":
                return new CompletedBody(
                        (String) b.get("completed_at"),
                        (Map<String, Object>) b.get("result_data"),
                        (String) b.get("result_summary"),
                        (String) b.get("screenshot_url"),
                        cost((Map<String, Object>) b.get("cost")));
            case "needs_human":
                Map<String, Object> i = (Map<String, Object>) b.get("interaction");
                Map<String, Object> p = (Map<String, Object>) b.get("progress");
                Map<String, Object> meta = (Map<String, Object>) i.get("metadata");
                assertThat(meta.get("detection_method")).isEqualTo(PauseInteraction.DETECTION_METHOD);
                return new NeedsHumanBody(
                        new PauseInteraction(
                                (String) i.get("reason"),
                                (String) i.get("description"),
                                (String) i.get("screenshot_url"),
                                (String) i.get("current_url"),
                                (String) i.get("paused_at"),
                                (String) i.get("expires_at"),
                                ((Number) i.get("timeout_seconds")).intValue(),
                                ((Number) i.get("round")).intValue(),
                                (List<String>) i.get("questions"),
                                ((Number) meta.get("blocker_confidence")).doubleValue()),
                        new Progress(
                                (String) p.get("step"),
                                ((Number) p.get("progress_pct")).intValue(),
                                ((Number) p.get("actions_completed")).intValue()));
            case "failed":
                return new FailedBody(
                        (String) b.get("completed_at"),
                        (String) b.get("error_code"),
                        (Map<String, Object>) b.get("result_data"),
                        (String) b.get("error_message"),
                        cost((Map<String, Object>) b.get("cost")));
            case "cancelled":
                return new CancelledBody(
                        (String) b.get("completed_at"),
                        (String) b.get("error_code"),
                        (Map<String, Object>) b.get("result_data"),
                        (String) b.get("error_message"));
            default:
                throw new AssertionError(
                        "no history records a " + b.get("status") + " callback: " + new LinkedHashMap<>(b));
        }
    }

    private static Cost cost(Map<String, Object> c) {
        return new Cost(
                ((Number) c.get("total_cost_usd")).doubleValue(),
                ((Number) c.get("action_count")).intValue(),
                ((Number) c.get("total_tokens")).intValue());
    }

    private static WorkflowExecutionHistory history(String name) throws IOException {
        try (InputStream in = CallbackBodiesTest.class.getResourceAsStream("/histories/" + name)) {
            assertThat(in).as(name).isNotNull();
            return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
