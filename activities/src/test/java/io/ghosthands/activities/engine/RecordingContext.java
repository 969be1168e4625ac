package io.ghosthands.activities.engine;

import com.microsoft.playwright.Page;
import io.ghosthands.activities.browser.BlockerDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An engine context for tests: keeps screenshots and events in memory, detects blockers for real. */
public final class RecordingContext implements EngineContext {

    public final List<byte[]> screenshots = new ArrayList<>();
    public final List<String> events = new ArrayList<>();
    private final BlockerDetector detector = new BlockerDetector();
    private BlockerDetector.Blocker forcedBlocker;

    /** Makes every blocker check report {@code blocker}, as if the page showed one. */
    public RecordingContext blockedBy(BlockerDetector.Blocker blocker) {
        this.forcedBlocker = blocker;
        return this;
    }

    @Override
    public String saveScreenshot(String name, byte[] png) {
        screenshots.add(png);
        return "memory://screenshots/" + screenshots.size() + "/" + name + ".png";
    }

    @Override
    public String saveArtifact(String kind, String name, String contentType, byte[] bytes) {
        return "memory://artifacts/" + name;
    }

    @Override
    public void progress(String step, int pct, String message) {}

    @Override
    public Optional<BlockerDetector.Blocker> blocker(Page page) {
        return forcedBlocker != null ? Optional.of(forcedBlocker) : detector.detect(page);
    }

    @Override
    public void event(String type, String message, Map<String, Object> metadata) {
        events.add(type + ": " + message);
    }
}
