package io.ghosthands.activities.engine;

import com.microsoft.playwright.Page;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plainest job: the page was opened (and checked for blockers by the caller); report its title,
 * URL and a screenshot.
 */
public final class VisitEngine implements JobEngine {

    private final EngineContext ctx;
    private final int httpStatus;

    public VisitEngine(EngineContext ctx, int httpStatus) {
        this.ctx = ctx;
        this.httpStatus = httpStatus;
    }

    @Override
    public Outcome proceed(Page page) {
        String title = page.title();
        String shot = ctx.saveScreenshot("visit.png", PageShots.png(page));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("title", title);
        result.put("final_url", page.url());
        result.put("http_status", httpStatus);
        result.put("screenshot_url", shot);
        String summary = title.isEmpty() ? "Opened " + page.url() : "Opened \"" + title + "\"";
        return new Outcome.Done(result, summary, List.of(shot));
    }
}
