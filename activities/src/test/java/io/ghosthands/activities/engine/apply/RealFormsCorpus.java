package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real-forms corpus (see {@code src/test/resources/real-forms/README.md}): real saved application
 * pages, each with an expectation written from its HTML. {@link #run} serves a page on loopback, runs
 * the {@code fill_form} engine on it in real Chromium with the standard profile, reads every expected
 * field back from the page and scores it right, wrong or missed.
 *
 * <p>Saved pages carry no working scripts, so a custom dropdown (react-select, a Workday listbox
 * button, Yes/No toggle buttons) cannot open. For those widgets only, a field the page left empty is
 * judged by the answer the engine meant for it ({@code result_data.fields}, status {@code not_offered}):
 * a wrong intention counts as wrong, as it would have been picked on the live page.
 */
public final class RealFormsCorpus implements AutoCloseable {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** The corpus folder: {@code -Dgh.realForms=…}, else the activities module's test resources. */
    static final Path RESOURCES = Path.of(System.getProperty(
            "gh.realForms",
            Files.isDirectory(Path.of("src/test/resources/real-forms"))
                    ? "src/test/resources/real-forms"
                    : "../activities/src/test/resources/real-forms"));

    /** One expected field. */
    public record Expected(
            String label, String selector, String kind, boolean required, JsonNode expect, String prefilled) {
        boolean unanswerable() {
            return expect.isTextual() && expect.asText().equals("unanswerable");
        }
    }

    /** One page's expectation file. */
    public record PageSpec(String page, String platform, String blocker, List<Expected> fields, Path html) {}

    /** A field's verdict. */
    public record Verdict(Expected field, String actual, String judgedBy, String result, String engine) {
        Verdict(Expected field, String actual, String judgedBy, String result) {
            this(field, actual, judgedBy, result, "");
        }

        Verdict withEngine(String note) {
            return new Verdict(field, actual, judgedBy, result, note);
        }
    }

    /** What happened on one page. */
    public record PageResult(
            PageSpec spec,
            String outcome,
            String blocker,
            List<Verdict> verdicts,
            long millis,
            String error,
            List<String> unreported) {
        PageResult(PageSpec spec, String outcome, String blocker, List<Verdict> verdicts, long millis, String error) {
            this(spec, outcome, blocker, verdicts, millis, error, List.of());
        }

        public long count(String result) {
            return verdicts.stream().filter(v -> v.result().equals(result)).count();
        }

        public double accuracy() {
            return verdicts.isEmpty() ? 1.0 : (double) count("right") / verdicts.size();
        }
    }

    /** Where the shared corpus lives: {@code -Dgh.shared=…}, else {@code ../shared} beside the checkout. */
    public static Path sharedPages() {
        String prop = System.getProperty("gh.shared");
        Path shared = prop != null
                ? Path.of(prop)
                : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
        return shared.resolve("fixtures/real-forms");
    }

    /** Every page with an expectation whose HTML is at hand, in file order; missing pages listed apart. */
    public static List<PageSpec> load(List<String> missing) throws IOException {
        Path expect = RESOURCES.resolve("expect");
        List<PageSpec> specs = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(expect)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            JsonNode n = JSON.readTree(f.toFile());
            String page = n.path("page").asText();
            Path local = RESOURCES.resolve("pages").resolve(page);
            Path shared = sharedPages().resolve(page);
            Path html = Files.isRegularFile(local) ? local : Files.isRegularFile(shared) ? shared : null;
            if (html == null) {
                missing.add(page);
                continue;
            }
            List<Expected> fields = new ArrayList<>();
            for (JsonNode x : n.path("fields")) {
                fields.add(new Expected(
                        x.path("label").asText(),
                        x.path("selector").asText(),
                        x.path("kind").asText(),
                        x.path("required").asBoolean(),
                        x.path("expect"),
                        x.hasNonNull("prefilled") ? x.get("prefilled").asText() : null));
            }
            specs.add(new PageSpec(
                    page, n.path("platform").asText(), n.path("blocker").asText("none"), fields, html));
        }
        return specs;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> profile() throws IOException {
        return JSON.readValue(RESOURCES.resolve("profile.json").toFile(), Map.class);
    }

    // --- running ---

    private final HttpServer server;
    private final Map<String, Path> served = new HashMap<>();
    private final Playwright playwright;
    private final Browser browser;
    private final Path resume;
    private final Map<String, Object> profile;

    /** Short waits: nothing on a saved page reacts, and a Next click on it never changes the page. */
    private static final ApplyEngine.Waits WAITS = new ApplyEngine.Waits(800, 3000, 800);

    public RealFormsCorpus() throws IOException {
        profile = profile();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            Path file = served.get(ex.getRequestURI().getPath());
            byte[] body = file == null ? "not found".getBytes() : Files.readAllBytes(file);
            ex.getResponseHeaders().set("Content-Type", file == null ? "text/plain" : "text/html; charset=utf-8");
            ex.sendResponseHeaders(file == null ? 404 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        resume = Files.createTempDirectory("gh-real-forms").resolve("ada-lovelace-resume.pdf");
        Files.writeString(resume, "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
        BrowserSettings settings = BrowserSettings.resolve("", true)
                .withExtraArgs(
                        // nothing but loopback resolves: saved pages point at CDNs, trackers and the live site
                        List.of("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
        BrowserType.LaunchOptions options =
                new BrowserType.LaunchOptions().setHeadless(true).setArgs(settings.args());
        settings.executable().ifPresent(options::setExecutablePath);
        browser = playwright.chromium().launch(options);
    }

    public PageResult run(PageSpec spec) {
        String path = "/" + spec.page();
        served.put(path, spec.html());
        long t0 = System.nanoTime();
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900))) {
            context.setDefaultTimeout(5000);
            Page page = context.newPage();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
            // a saved page is a snapshot: its links and forms lead nowhere here, so the page stays put
            boolean[] loaded = {false};
            page.route("**/*", route -> {
                if (route.request().isNavigationRequest() && route.request().frame() == page.mainFrame() && loaded[0]) {
                    // 204: the browser stays on the page (an aborted navigation would show an error page)
                    route.fulfill(new Route.FulfillOptions().setStatus(204));
                } else {
                    route.resume();
                }
            });
            page.navigate(url, new Page.NavigateOptions().setTimeout(20000));
            loaded[0] = true;
            Map<String, Object> input = new HashMap<>();
            input.put("user_data", profile.get("user_data"));
            input.put("qa_answers", profile.get("qa_answers"));
            RecordingContext ctx = new RecordingContext();
            JobSpec job = new JobSpec("real-forms", "fill_form", url, "Fill in the application", input, resume);
            ApplyEngine engine = new ApplyEngine(job, ctx, false, WAITS);
            // what the page holds before the engine touches it (defaults, a saved draft)
            List<String> before = new ArrayList<>();
            for (Expected e : spec.fields()) {
                before.add(read(page, e));
            }
            Outcome outcome = engine.proceed(page);
            String blocker =
                    outcome instanceof Outcome.Blocked b ? b.blocker().reason().code() : "none";
            if (outcome instanceof Outcome.Blocked) {
                // a false pause stops the engine before it fills anything; what the blocker says is the result
                blocker = ((Outcome.Blocked) outcome).blocker().reason().code();
            }
            List<Verdict> verdicts = new ArrayList<>();
            for (int i = 0; i < spec.fields().size(); i++) {
                Expected e = spec.fields().get(i);
                Verdict v = judge(page, e, before.get(i), engine.fieldReport());
                if (!v.result().equals("right")) {
                    // what the engine said of the field, to tell "never saw it" from "had no answer"
                    List<Map<String, Object>> els = elements(page, e);
                    Optional<FieldReport> r =
                            els == null || els.isEmpty() ? Optional.empty() : seen(els.get(0), e, engine.fieldReport());
                    v = v.withEngine(r.map(x -> x.kind() + "/" + x.status()
                                    + (x.value().isEmpty() ? "" : " \"" + Text.clip(x.value(), 40) + "\"") + " as \""
                                    + Text.clip(x.label(), 50) + "\"")
                            .orElse("not seen by the engine"));
                }
                verdicts.add(v);
            }
            // a required question nobody can answer must be reported (NeedsAnswers, or unanswered in
            // result_data.fields)
            List<String> unreported = new ArrayList<>();
            for (int i = 0; i < spec.fields().size(); i++) {
                Expected e = spec.fields().get(i);
                if (!e.required()
                        || !e.unanswerable()
                        || e.prefilled() != null
                        || before.get(i) != null
                                && !before.get(i).isBlank()
                                && !before.get(i).equals("false")) {
                    continue;
                }
                List<Map<String, Object>> els = elements(page, e);
                Optional<FieldReport> r =
                        els == null || els.isEmpty() ? Optional.empty() : seen(els.get(0), e, engine.fieldReport());
                if (r.isEmpty()
                        || !(r.get().status().equals("unanswered")
                                || r.get().status().equals("not_offered"))) {
                    unreported.add(
                            e.label() + r.map(x -> " (" + x.status() + ")").orElse(" (not seen)"));
                }
            }
            return new PageResult(
                    spec, describe(outcome), blocker, verdicts, (System.nanoTime() - t0) / 1_000_000, null, unreported);
        } catch (RuntimeException e) {
            return new PageResult(
                    spec,
                    "error",
                    "none",
                    List.of(),
                    (System.nanoTime() - t0) / 1_000_000,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString()));
        }
    }

    /** Whether the blocker detector alone (no engine) sees a blocker on the page. */
    String detectBlocker(PageSpec spec) {
        String path = "/" + spec.page();
        served.put(path, spec.html());
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            page.navigate(
                    "http://127.0.0.1:" + server.getAddress().getPort() + path,
                    new Page.NavigateOptions().setTimeout(20000));
            return new BlockerDetector()
                    .detect(page)
                    .map(b -> b.reason().code())
                    .orElse("none");
        }
    }

    private static String describe(Outcome o) {
        if (o instanceof Outcome.NeedsAnswers n) {
            return "needs_answers(" + n.questions().size() + ")";
        }
        if (o instanceof Outcome.Failed f) {
            return "failed:" + f.code();
        }
        if (o instanceof Outcome.Blocked b) {
            return "blocked:" + b.blocker().reason().code();
        }
        return o.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    // --- reading a field back and judging it ---

    private static final String READ = """
      (els) => {
        const norm = s => (s || '').replace(/[\\s\\u00a0]+/g, ' ').trim();
        const labelOf = el => {
          for (const l of Array.from(el.labels || [])) { const t = norm(l.innerText); if (t) return t; }
          const a = norm(el.getAttribute('aria-label')); if (a) return a;
          const by = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).map(id => document.getElementById(id)).filter(Boolean);
          if (by.length) return norm(by.map(n => n.innerText).join(' '));
          if (el.nextSibling && norm(el.nextSibling.textContent)) return norm(el.nextSibling.textContent);
          const p = el.parentElement; if (p && norm(p.innerText)) return norm(p.innerText);
          return el.value || '';
        };
        const checked = el => el.checked === true || el.getAttribute('aria-checked') === 'true';
        const out = [];
        for (const el of els) {
          const tag = el.tagName.toLowerCase(), type = (el.getAttribute('type') || '').toLowerCase();
          let value = '';
          if (type === 'file') value = el.files && el.files.length ? 'resume' : '';
          else if (type === 'radio' || type === 'checkbox' || ['radio', 'checkbox', 'switch'].includes(el.getAttribute('role'))) value = checked(el) ? labelOf(el) || 'checked' : '';
          else if (tag === 'select') value = Array.from(el.selectedOptions || []).filter(o => o.value !== '' && norm(o.text)).map(o => norm(o.text)).join(', ');
          else if (tag === 'input' || tag === 'textarea') {
            value = el.value || '';
            if (!value && el.getAttribute('role') === 'combobox') {
              // react-select shows the choice beside its (empty) search input
              for (let a = el.parentElement, d = 0; a && d < 5; a = a.parentElement, d++) {
                if (/control/i.test(typeof a.className === 'string' ? a.className : '')) {
                  const c = a.cloneNode(true);
                  for (const x of c.querySelectorAll('[class*=placeholder i], input, [class*=indicator i], svg, style, script')) x.remove();
                  const t = norm(c.textContent);
                  if (t && !/^(select|choose|please|search|start typing)\b/i.test(t)) value = t;
                  break;
                }
              }
            }
          }
          else if (el.isContentEditable) value = norm(el.innerText);
          else {
            // a custom widget: the text it shows, unless it is a placeholder
            const t = norm(el.innerText);
            value = /^(select|choose|please|pick|search|start typing|none selected|-{1,3}|—)(\\b|$)/i.test(t) ? '' : t;
            const pressed = el.querySelector('[aria-pressed=true], [aria-checked=true], [aria-selected=true]');
            if (el.querySelector('button, [role=button], [role=radio]')) value = pressed ? norm(pressed.innerText) : '';
          }
          out.push({value, id: el.id || '', name: el.getAttribute('name') || '', checked: checked(el)});
        }
        return out;
      }""";

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> elements(Page page, Expected e) {
        try {
            return (List<Map<String, Object>>) page.locator(e.selector()).evaluateAll(READ);
        } catch (PlaywrightException ex) {
            return null;
        }
    }

    /** What the page shows in the expected field now (null: the selector finds nothing). */
    private static String read(Page page, Expected e) {
        List<Map<String, Object>> els = elements(page, e);
        if (els == null || els.isEmpty()) {
            return null;
        }
        return switch (e.kind()) {
            case "checkbox" -> Boolean.TRUE.equals(els.get(0).get("checked")) ? "true" : "false";
            case "checkbox-group", "radio", "multiselect" ->
                String.join(
                        " | ",
                        els.stream()
                                .map(m -> (String) m.get("value"))
                                .filter(v -> !v.isBlank())
                                .toList());
            default -> (String) els.get(0).get("value");
        };
    }

    private static final Pattern YES_NO = Pattern.compile("(?i)^(yes|no|y|n|true|false)\\b.*");

    private static Verdict judge(Page page, Expected e, String before, List<FieldReport> report) {
        List<Map<String, Object>> els = elements(page, e);
        String actual = read(page, e);
        if (els == null || actual == null) {
            return new Verdict(e, "", "selector matched nothing", "error");
        }
        String judgedBy = "page";
        // dead: empty, or still showing the default the saved page had (a country code picker's "Poland")
        boolean dead = actual.isBlank() || before != null && !before.isBlank() && actual.equals(before);
        // (judged by the page first: a default that is right stays right)
        if (dead
                && (e.kind().equals("combobox") || e.kind().equals("choice-buttons"))
                && !score(e, actual, before).equals("right")) {
            Optional<FieldReport> meant = intended(els.get(0), e, report);
            if (meant.isPresent()) {
                String verdict = score(e, meant.get().value(), before);
                // A dead widget shows no options. A yes/no the engine meant, or any answer where none is
                // right, is judged as given; another answer the live list may not even offer is "missed".
                if (verdict.equals("wrong")
                        && !e.unanswerable()
                        && !YES_NO.matcher(meant.get().value()).matches()) {
                    verdict = "missed";
                }
                return new Verdict(
                        e,
                        meant.get().value(),
                        "engine's answer (" + meant.get().status() + ")",
                        verdict);
            }
        }
        return new Verdict(e, actual, judgedBy, score(e, actual, before));
    }

    /** The engine's report on the element, whatever its status. */
    private static Optional<FieldReport> seen(Map<String, Object> el, Expected e, List<FieldReport> report) {
        String id = (String) el.get("id");
        String name = (String) el.get("name");
        String label = Text.normalize(e.label());
        return report.stream()
                .filter(r -> !id.isEmpty() && id.equals(r.elementId())
                        || id.isEmpty() && !name.isEmpty() && name.equals(r.elementName())
                        || id.isEmpty() && name.isEmpty() && sameQuestion(Text.normalize(r.label()), label))
                .findFirst();
    }

    /** An element without id or name is found by its question, worded by the page and by the expectation's writer. */
    private static boolean sameQuestion(String engine, String expected) {
        return engine.equals(expected)
                || engine.length() >= 20
                        && expected.length() >= 20
                        && (engine.contains(expected) || expected.contains(engine))
                // the writer named the block too ("Education - School" for the page's "School")
                || engine.length() >= 5 && expected.endsWith(" " + engine)
                // the page's label and description, the writer's own words for them: most words shared
                || overlap(engine, expected) >= 0.6;
    }

    private static double overlap(String a, String b) {
        Set<String> wa = new HashSet<>(List.of(a.split(" ")));
        Set<String> wb = new HashSet<>(List.of(b.split(" ")));
        if (wa.size() < 3 || wb.size() < 3) {
            return 0;
        }
        long common = wa.stream().filter(wb::contains).count();
        return (double) common / Math.max(wa.size(), wb.size());
    }

    /** The engine's own account of a dead widget: what it meant to pick. */
    private static Optional<FieldReport> intended(Map<String, Object> el, Expected e, List<FieldReport> report) {
        String id = (String) el.get("id");
        String name = (String) el.get("name");
        return report.stream()
                // (kept: the engine saw the page show that value and left it, as the harness cannot read it)
                .filter(r -> r.status().equals("not_offered")
                        || r.status().equals("filled")
                        || r.status().equals("kept"))
                .filter(r -> !id.isEmpty() && id.equals(r.elementId())
                        || id.isEmpty() && !name.isEmpty() && name.equals(r.elementName())
                        || id.isEmpty()
                                && name.isEmpty()
                                && sameQuestion(Text.normalize(r.label()), Text.normalize(e.label())))
                .findFirst();
    }

    /**
     * @param before what the field held before the engine ran: a value the engine left as the page
     *     had it is never "wrong" (the engine put nothing there), only "missed" when another was expected
     */
    static String score(Expected e, String actual, String before) {
        boolean empty = actual == null || actual.isBlank() || e.kind().equals("checkbox") && actual.equals("false");
        String page = e.prefilled() != null ? e.prefilled() : before;
        boolean untouched = actual != null
                && !actual.isBlank()
                && (page != null && same(e.kind(), actual, page) || before != null && same(e.kind(), actual, before))
                && !(e.kind().equals("checkbox") && actual.equals("false"));
        if (e.unanswerable()) {
            return empty || untouched ? "right" : "wrong";
        }
        List<String> accepted = new ArrayList<>();
        if (e.expect().isArray()) {
            e.expect().forEach(x -> accepted.add(x.asText()));
        } else {
            accepted.add(e.expect().asText());
        }
        if (e.kind().equals("checkbox")) {
            boolean want = accepted.get(0).equals("true");
            return want == actual.equals("true") ? "right" : want || untouched ? "missed" : "wrong";
        }
        if (e.kind().equals("checkbox-group") && e.expect().isArray()) {
            List<String> want = accepted.stream().map(Text::normalize).sorted().toList();
            List<String> got = empty
                    ? List.of()
                    : Stream.of(actual.split(" \\| "))
                            .map(Text::normalize)
                            .sorted()
                            .toList();
            if (want.equals(got)) {
                return "right";
            }
            return untouched || got.stream().allMatch(g -> want.stream().anyMatch(w -> w.equals(g)))
                    ? "missed"
                    : "wrong";
        }
        for (String a : accepted) {
            if (a.isEmpty() ? empty : !empty && same(e.kind(), actual, a)) {
                return "right";
            }
        }
        return empty || untouched ? "missed" : "wrong";
    }

    static boolean same(String kind, String actual, String expected) {
        if (kind.equals("tel")) {
            return actual.replaceAll("\\D", "").equals(expected.replaceAll("\\D", ""));
        }
        return letters(actual).equals(letters(expected));
    }

    private static String letters(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]", "");
    }

    // --- floors and the table ---

    static Map<String, Double> floors() throws IOException {
        Path f = RESOURCES.resolve("floors.json");
        if (!Files.isRegularFile(f)) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        JSON.readTree(f.toFile())
                .properties()
                .forEach(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    /** Accuracy per page and per platform, as a Markdown table. */
    public static String table(List<PageResult> results) {
        StringBuilder b = new StringBuilder(
                "| platform | pages | fields | right | wrong | missed | accuracy |\n|---|---|---|---|---|---|---|\n");
        Map<String, long[]> by = new LinkedHashMap<>();
        for (PageResult r : results) {
            long[] t = by.computeIfAbsent(r.spec().platform(), k -> new long[5]);
            t[0]++;
            t[1] += r.verdicts().size();
            t[2] += r.count("right");
            t[3] += r.count("wrong");
            t[4] += r.count("missed");
        }
        long[] all = new long[5];
        by.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            long[] t = e.getValue();
            b.append(row(e.getKey(), t));
            for (int i = 0; i < 5; i++) {
                all[i] += t[i];
            }
        });
        b.append(row("**all**", all));
        return b.toString();
    }

    private static String row(String name, long[] t) {
        return String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %d | %d | %.1f %% |%n",
                name,
                t[0],
                t[1],
                t[2],
                t[3],
                t[4],
                t[1] == 0 ? 100.0 : 100.0 * t[2] / t[1]);
    }

    public static String detail(PageResult r) {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "%s: %s, blocker %s, %d/%d right, %d wrong, %d missed, %d ms%s%n",
                r.spec().page(),
                r.outcome(),
                r.blocker(),
                r.count("right"),
                r.verdicts().size(),
                r.count("wrong"),
                r.count("missed"),
                r.millis(),
                r.error() == null ? "" : " ERROR " + r.error()));
        for (String u : r.unreported()) {
            b.append("    unreported required question: ")
                    .append(Text.clip(u, 100))
                    .append('\n');
        }
        for (Verdict v : r.verdicts()) {
            if (!v.result().equals("right")) {
                b.append(String.format(
                        "    %-6s %-60s expect %s, got \"%s\" (%s)%n",
                        v.result(),
                        Text.clip(v.field().label(), 60),
                        Text.clip(v.field().expect().toString(), 80),
                        Text.clip(v.actual(), 60),
                        v.judgedBy()));
                if (!v.engine().isEmpty()) {
                    b.append("           engine: ").append(v.engine()).append('\n');
                }
            }
        }
        return b.toString();
    }

    @Override
    public void close() {
        playwright.close();
        server.stop(0);
        try {
            Files.deleteIfExists(resume);
            Files.deleteIfExists(resume.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
