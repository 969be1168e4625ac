package io.ghosthands.activities.engine;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BrowserLanes;
import io.ghosthands.activities.browser.BrowserSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Test pages from a resource folder, served on loopback and opened in one real Chromium (the
 * system's, never downloaded) that a test class shares. Any host other than loopback is
 * unreachable, so pages cannot wander off to the internet.
 */
public final class LoopbackPages implements AutoCloseable {

    private final HttpServer server;
    private final BrowserLanes lanes;

    public LoopbackPages(Path folder) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            String name = ex.getRequestURI().getPath().substring(1);
            Path file = folder.resolve(name).normalize();
            if (name.contains("..") || !file.startsWith(folder) || !Files.isRegularFile(file)) {
                byte[] body = "<html><head><title>Not found</title></head><body>no such page</body></html>".getBytes();
                ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(404, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        lanes = new BrowserLanes(
                BrowserSettings.resolve("", true)
                        .withExtraArgs(List.of(
                                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1")),
                1);
    }

    /** The page's URL on the loopback server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    /** Opens {@code path} in a fresh browser context and runs {@code work} on the page, on the lane's thread. */
    public <T> T open(String path, Function<Page, T> work) throws Exception {
        String url = url(path);
        return lanes.submit((Browser browser) -> {
                    try (BrowserContext context = browser.newContext()) {
                        Page page = context.newPage();
                        page.navigate(url);
                        return work.apply(page);
                    }
                })
                .future()
                .get();
    }

    @Override
    public void close() {
        lanes.close();
        server.stop(0);
    }
}
