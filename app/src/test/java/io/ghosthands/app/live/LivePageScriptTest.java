package io.ghosthands.app.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BrowserSettings;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live page ({@code live/live.html}) in real Chromium, against a loopback stand-in for the API
 * port: the JDK HTTP server serves the page with the CSP the API sends, a Java-WebSocket server
 * answers {@code /live/{id}/ws}, and a small TCP front puts both on one origin as the API does.
 * Frames are JPEGs with coloured markers at known places of the page; the test finds the markers in
 * a screenshot of the viewer and clicks them, so drawing and coordinate mapping are checked against
 * what a person sees, at viewer sizes unlike the frame's.
 */
class LivePageScriptTest {

    static final String CSP = "default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; "
            + "script-src 'unsafe-inline'; connect-src 'self'";
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final int MAGENTA = 0xff00ff;
    static final int CYAN = 0x00ffff;

    static Playwright playwright;
    static Browser browser;
    static LiveServer server;

    BrowserContext context;
    Page page;
    final List<String> consoleErrors = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = new LiveServer();
        BrowserSettings settings = BrowserSettings.resolve("", true);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
        BrowserType.LaunchOptions options =
                new BrowserType.LaunchOptions().setHeadless(true).setArgs(settings.args());
        settings.executable().ifPresent(options::setExecutablePath);
        browser = playwright.chromium().launch(options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshServer() {
        server.opened.clear();
    }

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
        assertThat(consoleErrors)
                .as("console errors (a CSP violation shows here)")
                .isEmpty();
    }

    /** Opens the live page of a new job id in a viewer window of the given size; returns its socket. */
    private Conn open(String query, int width, int height) throws Exception {
        if (context != null) {
            context.close();
        }
        context = browser.newContext(
                new Browser.NewContextOptions().setViewportSize(width, height).setDeviceScaleFactor(1));
        page = context.newPage();
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type())) {
                consoleErrors.add(m.text());
            }
        });
        String id = UUID.randomUUID().toString();
        page.navigate(server.url("/live/" + id + query));
        Conn conn = server.opened.poll(10, TimeUnit.SECONDS);
        assertThat(conn).as("the page opened its socket").isNotNull();
        assertThat(conn.path)
                .as("socket path with the link's query string unchanged")
                .isEqualTo("/live/" + id + "/ws" + query);
        return conn;
    }

    private void paused(Conn conn, boolean input) {
        conn.send(
                "{\"t\":\"state\",\"status\":\"paused\",\"mode\":\"control\",\"input\":" + input
                        + ",\"message\":\"solve it in the page below\",\"reason\":\"captcha\",\"page_url\":\"https://jobs.example/apply\"}");
    }

    /** A frame of a w x h page drawn at `density` pixels per CSS pixel, magenta at (0.25,0.75), cyan at (0.8,0.2). */
    private static void frame(Conn conn, int w, int h, int density) throws IOException {
        BufferedImage image = new BufferedImage(w * density, h * density, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        int side = 40 * density;
        g.setColor(new Color(MAGENTA));
        g.fillRect((int) (0.25 * w * density) - side / 2, (int) (0.75 * h * density) - side / 2, side, side);
        g.setColor(new Color(CYAN));
        g.fillRect((int) (0.8 * w * density) - side / 2, (int) (0.2 * h * density) - side / 2, side, side);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        conn.send("{\"t\":\"frame\",\"data\":\"" + Base64.getEncoder().encodeToString(jpeg.toByteArray()) + "\",\"w\":"
                + w + ",\"h\":" + h + "}");
    }

    /** Centre of the pixels close to `rgb` in a screenshot of the viewer, in CSS pixels; null if none. */
    private double[] find(int rgb) throws IOException {
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(page.screenshot()));
        long sx = 0;
        long sy = 0;
        long n = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                int p = shot.getRGB(x, y);
                if (close(p >> 16 & 0xff, rgb >> 16 & 0xff)
                        && close(p >> 8 & 0xff, rgb >> 8 & 0xff)
                        && close(p & 0xff, rgb & 0xff)) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return n < 20 ? null : new double[] {sx / (double) n + 0.5, sy / (double) n + 0.5};
    }

    private static boolean close(int a, int b) {
        return Math.abs(a - b) < 60;
    }

    private void drawn() {
        page.locator("#waiting").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.HIDDEN));
        page.waitForTimeout(100); // one paint
    }

    private static JsonNode next(Conn conn, Predicate<JsonNode> which) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            JsonNode m = conn.received.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && which.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no such message from the page");
    }

    private static Predicate<JsonNode> mouse(String type) {
        return m -> "mouse".equals(m.path("t").asString())
                && type.equals(m.path("type").asString());
    }

    @Test
    void drawsFramesAndClicksLandOnTheSameSpotOfThePageAtAnyViewerSize() throws Exception {
        // wider than the frame's shape (bars left and right), then taller (bars above and below), with a 2x frame
        int[][] viewers = {{1200, 700, 1}, {420, 760, 2}};
        for (int[] v : viewers) {
            Conn conn = open("?mode=control&exp=1&sig=x", v[0], v[1]);
            paused(conn, true);
            assertThat(find(MAGENTA)).as("nothing drawn before a frame").isNull();
            frame(conn, 800, 600, v[2]);
            drawn();
            assertThat(page.locator("#status").textContent()).isEqualTo("Paused: CAPTCHA — solve it in the page below");
            assertThat(page.locator("#conntext").textContent()).isEqualTo("live");

            double[] magenta = find(MAGENTA);
            assertThat(magenta).as("the frame is drawn").isNotNull();
            page.mouse().click(magenta[0], magenta[1]);
            JsonNode press = next(conn, mouse("mousePressed"));
            assertThat(press.path("x").asDouble()).isCloseTo(0.25, within(0.01));
            assertThat(press.path("y").asDouble()).isCloseTo(0.75, within(0.01));
            assertThat(press.path("button").asString()).isEqualTo("left");
            assertThat(press.path("clickCount").asInt()).isEqualTo(1);
            assertThat(press.path("modifiers").asInt()).isZero();
            JsonNode release = next(conn, mouse("mouseReleased"));
            assertThat(release.path("x").asDouble()).isCloseTo(0.25, within(0.01));
            assertThat(release.path("y").asDouble()).isCloseTo(0.75, within(0.01));

            double[] cyan = find(CYAN);
            page.mouse().dblclick(cyan[0], cyan[1]);
            List<Integer> counts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode p = next(conn, mouse("mousePressed"));
                assertThat(p.path("x").asDouble()).isCloseTo(0.8, within(0.01));
                assertThat(p.path("y").asDouble()).isCloseTo(0.2, within(0.01));
                counts.add(p.path("clickCount").asInt());
            }
            assertThat(counts).as("clickCount from the browser's own count").containsExactly(1, 2);

            // the bars beside the image are not the page
            page.waitForTimeout(200); // a move still waiting for its animation frame goes out first
            conn.received.clear();
            double[] box = {page.viewportSize().width, page.viewportSize().height};
            boolean barsBeside = v[0] == 1200;
            page.mouse().click(barsBeside ? 5 : box[0] / 2, barsBeside ? box[1] / 2 : box[1] - 5);
            page.waitForTimeout(300);
            assertThat(conn.received)
                    .as("a click outside the drawn image sends nothing")
                    .isEmpty();

            page.mouse().move(magenta[0] - 30, magenta[1], new Mouse.MoveOptions().setSteps(5));
            page.mouse().move(magenta[0], magenta[1], new Mouse.MoveOptions().setSteps(5));
            page.waitForTimeout(200);
            List<JsonNode> moves =
                    conn.received.stream().filter(mouse("mouseMoved")).toList();
            assertThat(moves).isNotEmpty();
            assertThat(moves.get(moves.size() - 1).path("x").asDouble()).isCloseTo(0.25, within(0.01));
            assertThat(moves).allMatch(m -> "none".equals(m.path("button").asString()));

            page.mouse().wheel(0, 120);
            JsonNode wheel = next(conn, m -> "wheel".equals(m.path("t").asString()));
            assertThat(wheel.path("dy").asInt()).isEqualTo(120);
            assertThat(wheel.path("x").asDouble()).isCloseTo(0.25, within(0.01));
            context.close();
            context = null;
        }
    }

    @Test
    void keysAndPasteGoToThePageAndTheButtonsSendDoneAndCancel() throws Exception {
        Conn conn = open("?mode=control&exp=1&sig=x", 900, 700);
        paused(conn, true);
        frame(conn, 800, 600, 1);
        drawn();
        double[] magenta = find(MAGENTA);
        page.mouse().click(magenta[0], magenta[1]); // focuses the image area
        next(conn, mouse("mouseReleased"));
        conn.received.clear();

        page.keyboard().type("Hi");
        JsonNode h = next(conn, m -> "key".equals(m.path("t").asString()));
        assertThat(h.path("type").asString()).isEqualTo("keyDown");
        assertThat(h.path("key").asString()).isEqualTo("H");
        assertThat(h.path("code").asString()).isEqualTo("KeyH");
        assertThat(h.path("keyCode").asInt()).isEqualTo(72);
        assertThat(h.path("text").asString()).isEqualTo("H");
        JsonNode hUp = next(conn, m -> "key".equals(m.path("t").asString()));
        assertThat(hUp.path("type").asString()).isEqualTo("keyUp");
        assertThat(hUp.has("text")).as("text only on keyDown").isFalse();
        assertThat(next(conn, m -> "keyDown".equals(m.path("type").asString()))
                        .path("text")
                        .asString())
                .isEqualTo("i");

        page.keyboard().press("Tab");
        JsonNode tab = next(conn, m -> "keyDown".equals(m.path("type").asString()));
        assertThat(tab.path("key").asString()).isEqualTo("Tab");
        assertThat(tab.has("text")).isFalse();
        assertThat(page.evaluate("document.activeElement.id"))
                .as("Tab went to the page, not to the viewer's buttons")
                .isEqualTo("stage");
        page.keyboard().press("Shift+A");
        JsonNode shiftA = next(
                conn,
                m -> "keyDown".equals(m.path("type").asString())
                        && "A".equals(m.path("key").asString()));
        assertThat(shiftA.path("modifiers").asInt()).isEqualTo(8);

        context.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        page.evaluate("navigator.clipboard.writeText('pasted 123')");
        page.keyboard().press("Control+V");
        JsonNode paste = next(conn, m -> "paste".equals(m.path("t").asString()));
        assertThat(paste.path("text").asString()).isEqualTo("pasted 123");

        page.onceDialog(d -> d.dismiss());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel job"))
                .click();
        page.waitForTimeout(300);
        assertThat(conn.received.stream()
                        .filter(m -> "cancel".equals(m.path("t").asString())))
                .as("cancel not confirmed")
                .isEmpty();
        page.onceDialog(d -> d.accept());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel job"))
                .click();
        next(conn, m -> "cancel".equals(m.path("t").asString()));

        assertThat(page.locator("#cancel").isDisabled()).as("sent once").isTrue();
        conn.send("{\"t\":\"error\",\"message\":\"input refused: job is not paused\"}");
        page.locator("#toast").waitFor();
        assertThat(page.locator("#toast").textContent()).isEqualTo("input refused: job is not paused");
        assertThat(page.locator("#done").isEnabled())
                .as("a refused action can be tried again")
                .isTrue();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Done — continue the job"))
                .click();
        next(conn, m -> "done".equals(m.path("t").asString()));
        assertThat(page.locator("#done").isDisabled()).as("sent once").isTrue();
    }

    @Test
    void watchModeAndInputOffShowTheViewAndSendNothing() throws Exception {
        Conn conn = open("?mode=watch&exp=1&sig=x", 900, 700);
        conn.send(
                "{\"t\":\"state\",\"status\":\"running\",\"mode\":\"watch\",\"input\":false,\"message\":\"filling the form\"}");
        frame(conn, 800, 600, 1);
        drawn();
        assertThat(page.locator("#done").isVisible()).isFalse();
        assertThat(page.locator("#cancel").isVisible()).isFalse();
        assertThat(page.locator("#viewonly").isVisible()).isTrue();
        assertThat(page.locator("#status").textContent()).isEqualTo("Running — filling the form");
        double[] magenta = find(MAGENTA);
        assertThat(magenta).isNotNull();
        page.mouse().click(magenta[0], magenta[1]);
        page.mouse().move(magenta[0] + 20, magenta[1] + 20);
        page.mouse().wheel(0, 100);
        page.keyboard().type("abc");
        page.waitForTimeout(500);
        assertThat(conn.received).as("watch mode sends no input").isEmpty();
        page.keyboard().press("Tab");
        assertThat(page.evaluate("document.activeElement.id"))
                .as("view only: Tab leaves the picture")
                .isNotEqualTo("stage");

        // a control link while the job is not paused: buttons shown but disabled, no input either
        Conn control = open("?mode=control&exp=1&sig=x", 900, 700);
        control.send("{\"t\":\"state\",\"status\":\"running\",\"mode\":\"control\",\"input\":false}");
        frame(control, 800, 600, 1);
        drawn();
        assertThat(page.locator("#done").isVisible()).isTrue();
        assertThat(page.locator("#done").isDisabled()).isTrue();
        assertThat(page.locator("#cancel").isDisabled()).isTrue();
        magenta = find(MAGENTA);
        page.mouse().click(magenta[0], magenta[1]);
        page.keyboard().type("abc");
        page.waitForTimeout(500);
        assertThat(control.received).as("input=false sends no input").isEmpty();
        paused(control, true); // and the same page sends once input is allowed
        page.waitForTimeout(100);
        page.mouse().click(magenta[0], magenta[1]);
        next(control, mouse("mousePressed"));
    }

    @Test
    void reconnectsAfterADroppedSocketButNotAfterEnded() throws Exception {
        Conn first = open("?mode=control&exp=1&sig=x", 800, 600);
        paused(first, true);
        first.socket.close();
        Conn second = server.opened.poll(5, TimeUnit.SECONDS);
        assertThat(second).as("the page reconnects after a dropped socket").isNotNull();
        assertThat(second.path).isEqualTo(first.path);

        second.send("{\"t\":\"ended\",\"reason\":\"resumed\",\"message\":\"The page is clear; the job goes on.\"}");
        second.socket.close();
        page.locator("#ended").waitFor();
        assertThat(page.locator("#endedtitle").textContent()).isEqualTo("The job continues");
        assertThat(page.locator("#endedmsg").textContent()).isEqualTo("The page is clear; the job goes on.");
        assertThat(page.locator("#conntext").textContent()).isEqualTo("ended");
        assertThat(page.locator("#status").textContent()).isEqualTo("The job continues");
        assertThat(server.opened.poll(3, TimeUnit.SECONDS))
                .as("no reconnect after ended")
                .isNull();
    }

    @Test
    void aLinkTheServerRefusesSaysSoAfterAFewTries() throws Exception {
        context = browser.newContext();
        page = context.newPage();
        page.navigate(server.url("/live/" + UUID.randomUUID() + "?mode=control&exp=1&sig=refused"));
        page.waitForCondition(
                () -> page.locator("#status").textContent().startsWith("Cannot reach"),
                new Page.WaitForConditionOptions().setTimeout(10_000));
        assertThat(server.refused.get()).as("tried, with backoff").isBetween(3, 4);
        assertThat(page.locator("#conntext").textContent()).startsWith("reconnecting in");
        assertThat(page.locator("#done").isDisabled()).isTrue();
        consoleErrors.clear(); // Chromium logs each refused handshake
    }

    // ---- the loopback stand-in for the API port ----

    /** One socket the page opened, and what it sent. */
    static final class Conn {
        final WebSocket socket;
        final String path;
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();

        Conn(WebSocket socket, String path) {
            this.socket = socket;
            this.path = path;
        }

        void send(String json) {
            socket.send(json);
        }
    }

    /** Page over HTTP and socket over WebSocket on one origin, split by a TCP front on the Upgrade header. */
    static final class LiveServer implements AutoCloseable {
        final BlockingQueue<Conn> opened = new LinkedBlockingQueue<>();
        final AtomicInteger refused = new AtomicInteger();
        final HttpServer http;
        final WebSocketServer ws;
        final ServerSocket front;

        LiveServer() throws Exception {
            byte[] html;
            try (InputStream in = LivePageScriptTest.class.getResourceAsStream("/live/live.html")) {
                html = in.readAllBytes();
            }
            InetAddress loopback = InetAddress.getLoopbackAddress();
            http = HttpServer.create(new InetSocketAddress(loopback, 0), 16);
            http.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                boolean page = ex.getRequestURI().getPath().matches("/live/[0-9a-f-]{36}");
                byte[] body = page ? html : "not found".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", page ? "text/html; charset=utf-8" : "text/plain");
                ex.getResponseHeaders().set("Content-Security-Policy", CSP);
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
                ex.sendResponseHeaders(page ? 200 : 404, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            });
            http.start();

            CountDownLatch started = new CountDownLatch(1);
            ws = new WebSocketServer(new InetSocketAddress(loopback, 0)) {
                @Override
                public void onOpen(WebSocket conn, ClientHandshake handshake) {
                    Conn c = new Conn(conn, handshake.getResourceDescriptor());
                    conn.setAttachment(c);
                    opened.add(c);
                }

                @Override
                public void onMessage(WebSocket conn, String message) {
                    Conn c = conn.getAttachment();
                    c.received.add(JSON.readTree(message));
                }

                @Override
                public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

                @Override
                public void onError(WebSocket conn, Exception ex) {}

                @Override
                public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
                        WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
                    if (request.getResourceDescriptor().endsWith("sig=refused")) {
                        refused.incrementAndGet();
                        throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "bad signature");
                    }
                    return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
                }

                @Override
                public void onStart() {
                    started.countDown();
                }
            };
            ws.setReuseAddr(true);
            ws.start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            front = new ServerSocket(0, 16, loopback);
            Thread accept = new Thread(
                    () -> {
                        while (!front.isClosed()) {
                            try {
                                Socket client = front.accept();
                                Thread t = new Thread(() -> split(client), "live-front");
                                t.setDaemon(true);
                                t.start();
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "live-front-accept");
            accept.setDaemon(true);
            accept.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + front.getLocalPort() + path;
        }

        /** Reads the request head, sends the connection to the WebSocket server or the HTTP server, then pipes. */
        private void split(Socket client) {
            try (client) {
                InputStream in = client.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (true) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.write(b);
                    byte[] h = head.toByteArray();
                    int n = h.length;
                    if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                        break;
                    }
                }
                String text = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                int port = text.contains("\nupgrade: websocket")
                        ? ws.getPort()
                        : http.getAddress().getPort();
                try (Socket target = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    target.getOutputStream().write(head.toByteArray());
                    Thread up = new Thread(() -> pipe(in, target), "live-front-up");
                    up.setDaemon(true);
                    up.start();
                    pipe(target.getInputStream(), client);
                }
            } catch (IOException e) {
                // a closed connection ends its pipes
            }
        }

        private static void pipe(InputStream from, Socket to) {
            try {
                from.transferTo(to.getOutputStream());
                to.shutdownOutput();
            } catch (IOException e) {
                // the other side went away
            }
        }

        @Override
        public void close() throws Exception {
            front.close();
            ws.stop(1000);
            http.stop(0);
        }
    }
}
