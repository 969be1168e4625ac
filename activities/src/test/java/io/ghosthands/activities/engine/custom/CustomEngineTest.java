package io.ghosthands.activities.engine.custom;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.LoopbackPages;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.RecordingContext;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CustomEngine summarises the page it was given, and clicks a quoted phrase from the task once
 * when a visible link with those words exists (a new-tab link included), summarising the page
 * reached; when no such link exists it says so and summarises the page as it is. Real Chromium,
 * pages on loopback.
 */
class CustomEngineTest {

    private static LoopbackPages pages;

    @BeforeAll
    static void start() throws Exception {
        pages = new LoopbackPages(Path.of("src/test/resources").toAbsolutePath());
    }

    @AfterAll
    static void stop() {
        pages.close();
    }

    private Outcome.Done run(String task, RecordingContext ctx) throws Exception {
        JobSpec job = new JobSpec("job-2", "custom", pages.url("sites/home.html"), task, Map.of(), null);
        Outcome outcome = pages.open("sites/home.html", page -> new CustomEngine(job, ctx).proceed(page));
        assertThat(outcome).isInstanceOf(Outcome.Done.class);
        return (Outcome.Done) outcome;
    }

    @Test
    void pageIsSummarisedWithTitleHeadingsLinksAndTheTaskEchoed() throws Exception {
        RecordingContext ctx = new RecordingContext();
        Outcome.Done done = run("Look at the home page", ctx);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("title", "Acme Corp — Home");
        expected.put("final_url", pages.url("sites/home.html"));
        expected.put(
                "summary",
                "Welcome to Acme We build rockets, roller skates and anvils for discerning customers."
                        + " What we do Acme has shipped dependable gadgets since 1949. Our products are tested by the toughest"
                        + " coyotes in the desert. Contact Write to hello@acme.example.");
        expected.put("headings", List.of("Welcome to Acme", "What we do", "Contact"));
        expected.put("links_count", 6);
        expected.put("task_description", "Look at the home page");
        expected.put("note", "deterministic engine: opened the page and summarised it");
        expected.put("click", null);
        assertThat(done.resultData()).isEqualTo(expected);
        assertThat(done.summary()).isEqualTo("Opened \"Acme Corp — Home\" and summarised it");
        assertThat(done.screenshotUrls()).containsExactly("memory://screenshots/1/custom.png");
    }

    @Test
    void quotedPhraseAfterClickIsClickedOnceAndThePageReachedIsSummarised() throws Exception {
        RecordingContext ctx = new RecordingContext();
        Outcome.Done done = run("Open the site and click \"careers\" to see the open roles", ctx);
        Map<String, Object> r = done.resultData();
        assertThat(r.get("title")).isEqualTo("Careers at Acme");
        assertThat(r.get("final_url")).isEqualTo(pages.url("sites/careers.html"));
        assertThat(r.get("headings")).isEqualTo(List.of("Careers at Acme", "Open roles"));
        assertThat(r.get("links_count")).isEqualTo(2);
        assertThat((String) r.get("summary"))
                .startsWith("Careers at Acme Join a team")
                .endsWith("Senior Engineer Product Designer");
        Map<String, Object> click = new LinkedHashMap<>();
        click.put("phrase", "careers");
        click.put("found", true);
        click.put("clicked", true);
        click.put("matched_text", "Careers"); // the exact words win over "Careers FAQ"
        click.put("from_url", pages.url("sites/home.html"));
        click.put("to_url", pages.url("sites/careers.html"));
        click.put("error", null);
        assertThat(r.get("click")).isEqualTo(click);
        assertThat(done.summary()).isEqualTo("Clicked \"Careers\" and summarised \"Careers at Acme\"");
        assertThat(done.screenshotUrls())
                .containsExactly("memory://screenshots/1/custom-before-click.png", "memory://screenshots/2/custom.png");
        assertThat(ctx.events).containsExactly("page_advanced: Clicked \"Careers\"");
    }

    @Test
    void phraseWithNoVisibleLinkIsReportedAndTheStartPageSummarised() throws Exception {
        Outcome.Done done = run("click “Jobs” please", new RecordingContext());
        Map<String, Object> r = done.resultData();
        assertThat(r.get("final_url")).isEqualTo(pages.url("sites/home.html"));
        @SuppressWarnings("unchecked")
        Map<String, Object> click = (Map<String, Object>) r.get("click");
        assertThat(click)
                .containsEntry("phrase", "Jobs")
                .containsEntry("found", false)
                .containsEntry("clicked", false)
                .containsEntry("to_url", null);
        assertThat(done.summary()).isEqualTo("Opened \"Acme Corp — Home\" and summarised it (\"Jobs\" was not found)");
    }

    @Test
    void clickPhraseIsReadFromCommonWordings() {
        assertThat(CustomEngine.clickPhrase("Click on the 'About us' link")).contains("About us");
        assertThat(CustomEngine.clickPhrase("then click \"Open roles\"")).contains("Open roles");
        assertThat(CustomEngine.clickPhrase("Summarise the page")).isEmpty();
        assertThat(CustomEngine.clickPhrase(null)).isEmpty();
    }

    @Test
    void longTextIsCutAtAWordNearAThousandCharacters() {
        String cut = CustomEngine.shorten("word ".repeat(400));
        assertThat(cut).hasSizeLessThanOrEqualTo(1001).endsWith("word…");
    }
}
