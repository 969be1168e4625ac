package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Page;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.EngineContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link EngineContext} that keeps screenshots, progress and events in memory for assertions. */
final class RecordingContext implements EngineContext {

    record Event(String type, String message, Map<String, Object> metadata) {}

    final List<String> screenshots = new ArrayList<>();
    final List<String> progress = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    private final BlockerDetector detector = new BlockerDetector();
    private final long t0 = System.currentTimeMillis();

    private void trace(String s) {
        if (Boolean.getBoolean("gh.trace")) {
            System.out.println("[" + (System.currentTimeMillis() - t0) + " ms] " + s);
        }
    }

    @Override
    public String saveScreenshot(String name, byte[] image) {
        boolean png = image != null && image.length > 8 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G';
        boolean jpeg = image != null && image.length > 8 && (image[0] & 0xff) == 0xFF && (image[1] & 0xff) == 0xD8;
        if (name.endsWith(".jpg") ? !jpeg : !png) {
            throw new AssertionError("not the image its name says: " + name);
        }
        screenshots.add(name);
        trace("screenshot " + name);
        return "mem://screenshots/" + name;
    }

    @Override
    public String saveArtifact(String kind, String name, String contentType, byte[] bytes) {
        return "mem://" + kind + "/" + name;
    }

    @Override
    public void progress(String step, int pct, String message) {
        progress.add(step + " " + pct + " " + message);
        trace("progress " + step + " " + message);
    }

    @Override
    public Optional<BlockerDetector.Blocker> blocker(Page page) {
        trace("blocker check");
        return detector.detect(page);
    }

    @Override
    public void event(String type, String message, Map<String, Object> metadata) {
        events.add(new Event(type, message, metadata));
        trace("event " + type + " " + message);
    }

    long count(String type) {
        return events.stream().filter(e -> e.type().equals(type)).count();
    }
}
