package io.ghosthands.bench;

import static io.ghosthands.bench.LiveViewBench.BH;
import static io.ghosthands.bench.LiveViewBench.BW;
import static io.ghosthands.bench.LiveViewBench.BX;
import static io.ghosthands.bench.LiveViewBench.BY;
import static io.ghosthands.bench.LiveViewBench.COLOURS;

import io.ghosthands.activities.store.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.WebSocket;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/** The live view bench's viewer: frames decoded off the socket's thread, the block's colour reported when it changes. */
final class LiveViewer implements WebSocket.Listener {
    record Seen(int colour, long atMillis) {}

    final StringBuilder partial = new StringBuilder();
    final ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "viewer-decode");
        t.setDaemon(true);
        return t;
    });
    final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    final AtomicInteger frames = new AtomicInteger();
    final AtomicLong jpegBytes = new AtomicLong();
    final List<String> errors = new CopyOnWriteArrayList<>();
    volatile double w = 1280, h = 720;
    volatile int lastColour = -1;
    volatile String size = "?";
    WebSocket ws;

    synchronized void send(String text) {
        ws.sendText(text, true).join();
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            long at = System.currentTimeMillis();
            String text = partial.toString();
            partial.setLength(0);
            decoder.execute(() -> received(text, at));
        }
        socket.request(1);
        return null;
    }

    void received(String text, long at) {
        Map<String, Object> msg = Json.readMap(text);
        if (!"frame".equals(msg.get("t"))) {
            if ("error".equals(msg.get("t")) || "ended".equals(msg.get("t"))) {
                errors.add(text);
            }
            return;
        }
        frames.incrementAndGet();
        w = ((Number) msg.get("w")).doubleValue();
        h = ((Number) msg.get("h")).doubleValue();
        try {
            byte[] jpeg = Base64.getDecoder().decode((String) msg.get("data"));
            jpegBytes.addAndGet(jpeg.length);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
            size = img.getWidth() + "x" + img.getHeight();
            int cx = (int) ((BX + BW / 2.0) / w * img.getWidth()), cy = (int) ((BY + BH / 2.0) / h * img.getHeight());
            long r = 0, g = 0, b = 0;
            for (int dx = -3; dx <= 3; dx++) {
                for (int dy = -3; dy <= 3; dy++) {
                    int rgb = img.getRGB(cx + dx, cy + dy);
                    r += (rgb >> 16) & 0xff;
                    g += (rgb >> 8) & 0xff;
                    b += rgb & 0xff;
                }
            }
            int colour = nearest(r / 49.0, g / 49.0, b / 49.0);
            if (colour >= 0 && colour != lastColour) {
                lastColour = colour;
                seen.add(new Seen(colour, at));
            }
        } catch (IOException | RuntimeException e) {
            errors.add("frame: " + e);
        }
    }

    static int nearest(double r, double g, double b) {
        int best = -1;
        double bestD = 60 * 60 * 3; // further than this from every colour: none of them
        for (int i = 0; i < COLOURS.length; i++) {
            double d = sq(r - COLOURS[i][0]) + sq(g - COLOURS[i][1]) + sq(b - COLOURS[i][2]);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    static double sq(double v) {
        return v * v;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
        errors.add("closed " + code + " " + reason);
        return null;
    }
}
