package io.ghosthands.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FilePayload;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.activities.testsupport.FormBodies;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The apply engine on the project's fixture sites (served from
 * {@code activities/src/test/resources/ats}): fill accuracy — fields submitted right / fields
 * expected — and the time of a whole GhostHands apply job ({@code POST /valet/apply} → completed,
 * both stamped by PostgreSQL) next to a bare Playwright program that fills the same fields with
 * hand-written selectors and submits, in the same run on the same browser build.
 */
public final class ApplyBench {

  private static final Path ATS = locate();
  private static final tools.jackson.databind.ObjectMapper JSON = new tools.jackson.databind.ObjectMapper();
  private static final List<Map<String, String>> submissions = new CopyOnWriteArrayList<>();

  /** Runs before the measured ones, on both sides: a worker is a long-running process, measured warm. */
  static final int WARM_UP = 3;

  /**
   * Pause before every run, either side: a finished job leaves work behind (its context closing, the
   * lane's next spare context, the workflow's last task), and a run measured during it would pay for
   * the other side's. Each run starts on a machine at rest.
   */
  static final int SETTLE_MS = 1000;

  static void settle() {
    try {
      Thread.sleep(SETTLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 5;
    Path resume = Files.createTempFile("jane-doe-resume", ".pdf");
    Files.writeString(resume, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    site.createContext("/", ex -> handle(ex, resume));
    site.start();
    String base = "http://127.0.0.1:" + site.getAddress().getPort();
    try (TestStack stack = TestStack.start("bench-apply", GhostHands.Roles.DEV, Map.of())) {
      ApiClient api = stack.api();
      JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());

      Map<String, Map<String, String>> expected = expected();
      Map<String, double[]> gh = new LinkedHashMap<>();
      Map<String, String> accuracy = new LinkedHashMap<>();
      Map<String, String> timelines = new LinkedHashMap<>();
      // each GhostHands job is followed by a bare run of the same site, so that whatever else the
      // machine does at the time weighs on both sides alike
      Map<String, double[]> bare = new LinkedHashMap<>();
      BareProgram bareProgram = new BareProgram(base, resume);
      for (String siteName : expected.keySet()) {
        double[] ms = new double[runs + WARM_UP];
        double[] bareMs = new double[runs + WARM_UP];
        int right = 0;
        int total = 0;
        String lastId = null;
        for (int i = 0; i < runs + WARM_UP; i++) { // the first runs warm up
          settle();
          submissions.clear();
          String id = api.post("/api/v1/gh/valet/apply", applyBody(base, siteName)).json().path("job_id").asString();
          lastId = id;
          var job = api.awaitJob(id, ApiClient::terminal, Duration.ofMinutes(3));
          if (!job.path("status").asString().equals("completed")) {
            throw new IllegalStateException(siteName + " job did not complete: " + job);
          }
          ms[i] = jdbc.queryForObject("SELECT extract(epoch FROM completed_at - created_at) * 1000"
              + " FROM gh_automation_jobs WHERE id = ?", Double.class, UUID.fromString(id));
          Map<String, String> sent = submissions.get(0);
          for (Map.Entry<String, String> e : expected.get(siteName).entrySet()) {
            total++;
            if (e.getValue().equals(sent.get(e.getKey()))) {
              right++;
            } else if (i == 0) { // (warm-up runs count toward accuracy too)
              System.out.println("  " + siteName + ": " + e.getKey() + " = " + sent.get(e.getKey()) + ", expected "
                  + e.getValue());
            }
          }
          settle();
          bareMs[i] = bareProgram.run(siteName, expected.get(siteName));
        }
        gh.put(siteName, Arrays.copyOfRange(ms, WARM_UP, ms.length));
        bare.put(siteName, Arrays.copyOfRange(bareMs, WARM_UP, bareMs.length));
        Path zip = keepTrace(jdbc, lastId, siteName);
        timelines.put(siteName, timeline(jdbc, lastId) + traceSpan(jdbc, lastId, zip));
        accuracy.put(siteName, String.format("%d/%d = %.1f %%", right, total, 100.0 * right / total));
      }

      bareProgram.close();
      System.out.println();
      System.out.println("apply on the fixture sites, " + runs + " runs each (after " + WARM_UP + " warm-up runs)");
      for (String siteName : gh.keySet()) {
        double[] sorted = gh.get(siteName).clone();
        Arrays.sort(sorted);
        System.out.printf("  %-10s accuracy %s   GhostHands job create->completed median %.0f ms   (runs: %s)%n",
            siteName, accuracy.get(siteName), sorted[sorted.length / 2], rounded(gh.get(siteName)));
      }
      for (Map.Entry<String, String> t : timelines.entrySet()) {
        System.out.println("  where the last " + t.getKey() + " job spent its time (ms after created_at):");
        System.out.print(t.getValue());
      }
      double ghSum = 0;
      double bareSum = 0;
      for (String siteName : bare.keySet()) {
        double ghMedian = median(gh.get(siteName));
        double bareMedian = median(bare.get(siteName));
        ghSum += ghMedian;
        bareSum += bareMedian;
        System.out.printf("  %s: bare Playwright fill+submit median %.0f ms (runs: %s); ratio GhostHands/bare %.2f%n",
            siteName, bareMedian, rounded(bare.get(siteName)), ghMedian / bareMedian);
      }
      System.out.printf("  overall: GhostHands medians summed %.0f ms, bare medians summed %.0f ms; ratio GhostHands/bare %.2f%n",
          ghSum, bareSum, ghSum / bareSum);
      System.out.println();
    } finally {
      site.stop(0);
      Files.deleteIfExists(resume);
    }
    System.exit(0);
  }

  /** Writes the job's Playwright trace to target/apply-SITE-trace.zip (open it with playwright show-trace). */
  private static Path keepTrace(JdbcTemplate jdbc, String id, String site) throws java.io.IOException {
    List<byte[]> zips = jdbc.query("SELECT content FROM gh_job_artifacts WHERE job_id = ? AND kind = 'trace'",
        (rs, n) -> rs.getBytes(1), UUID.fromString(id));
    if (zips.isEmpty()) {
      return null;
    }
    Path out = Path.of("target", "apply-" + site + "-trace.zip");
    Files.createDirectories(out.getParent());
    Files.write(out, zips.get(0));
    return out;
  }

  /**
   * When the trace's first Playwright call began and its last one ended, in ms after the job's
   * created_at: what lies outside is the job's start (claim, context, résumé) and its end (trace,
   * context close, result through the workflow).
   */
  private static String traceSpan(JdbcTemplate jdbc, String id, Path zip) throws java.io.IOException {
    if (zip == null) {
      return "";
    }
    double wall = Double.NaN;
    double mono = Double.NaN;
    double first = Double.MAX_VALUE;
    double last = 0;
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
      java.util.zip.ZipEntry e = z.getEntry("trace.trace");
      if (e == null) {
        return "";
      }
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(z.getInputStream(e),
          java.nio.charset.StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          var ev = JSON.readTree(line);
          switch (ev.path("type").asString()) {
            case "context-options" -> {
              wall = ev.path("wallTime").asDouble();
              mono = ev.path("monotonicTime").asDouble();
            }
            case "before" -> first = Math.min(first, ev.path("startTime").asDouble());
            case "after" -> last = Math.max(last, ev.path("endTime").asDouble());
            default -> { }
          }
        }
      }
    }
    if (Double.isNaN(wall) || last == 0) {
      return "";
    }
    double created = jdbc.queryForObject("SELECT extract(epoch FROM created_at) * 1000 FROM gh_automation_jobs WHERE id = ?",
        Double.class, UUID.fromString(id));
    return String.format("    %7.0f  (trace: first page call)%n    %7.0f  (trace: last page call ended)%n",
        wall + first - mono - created, wall + last - mono - created);
  }

  private static double median(double[] ms) {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String rounded(double[] ms) {
    return Arrays.stream(ms).mapToObj(v -> String.valueOf(Math.round(v))).collect(java.util.stream.Collectors.joining(" "));
  }

  /** A job's events, each with its time after the job was created (both stamped by PostgreSQL). */
  private static String timeline(JdbcTemplate jdbc, String id) {
    StringBuilder out = new StringBuilder();
    jdbc.query("SELECT e.event_type, extract(epoch FROM e.created_at - j.created_at) * 1000 AS ms"
            + " FROM gh_job_events e JOIN gh_automation_jobs j ON j.id = e.job_id WHERE e.job_id = ?"
            + " ORDER BY e.created_at", rs -> {
          out.append(String.format("    %7.0f  %s%n", rs.getDouble("ms"), rs.getString("event_type")));
        }, UUID.fromString(id));
    jdbc.query("SELECT extract(epoch FROM started_at - created_at) * 1000 AS s,"
            + " extract(epoch FROM completed_at - created_at) * 1000 AS c FROM gh_automation_jobs WHERE id = ?",
        rs -> {
          out.append(String.format("    %7.0f  (started_at)%n    %7.0f  (completed_at)%n", rs.getDouble("s"), rs.getDouble("c")));
        }, UUID.fromString(id));
    return out.toString();
  }

  /**
   * The same fills by hand, one site at a time: one Chromium (launched as the worker launches its
   * own), and per run a new context, the page, every field by its fixed selector, submit, the
   * confirmation; each run's submission is checked field by field against what the site must get.
   */
  static final class BareProgram implements AutoCloseable {
    private final Playwright playwright;
    private final Browser browser;
    private final String base;
    private final Path resume;
    // Workday and Ashby submit the file's name: the name GhostHands uploads (its download of /resume.pdf)
    private final FilePayload resumePdf;
    private final Browser.NewContextOptions contextOptions = new Browser.NewContextOptions().setViewportSize(1280, 800);

    BareProgram(String base, Path resume) throws IOException {
      this.base = base;
      this.resume = resume;
      this.resumePdf = new FilePayload("resume.pdf", "application/pdf", Files.readAllBytes(resume));
      BrowserSettings settings = BrowserSettings.resolve(null, true);
      Map<String, String> env = new java.util.HashMap<>(System.getenv());
      env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
      playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
      com.microsoft.playwright.BrowserType.LaunchOptions launch =
          new com.microsoft.playwright.BrowserType.LaunchOptions().setHeadless(true).setArgs(settings.args());
      settings.executable().ifPresent(launch::setExecutablePath);
      browser = playwright.chromium().launch(launch);
    }

    /** One run on {@code siteName}, in ms from the new context to its close; throws when it sent anything else. */
    double run(String siteName, Map<String, String> expected) {
      submissions.clear();
      long t0 = System.nanoTime();
      try (BrowserContext context = browser.newContext(contextOptions)) {
        Page page = context.newPage();
        switch (siteName) {
          case "greenhouse" -> bareGreenhouse(page, base, resume);
          case "lever" -> bareLever(page, base, resume);
          case "workday" -> bareWorkday(page, base, resumePdf);
          case "ashby" -> bareAshby(page, base, resumePdf);
          default -> throw new IllegalArgumentException("no bare program for " + siteName);
        }
      }
      double ms = (System.nanoTime() - t0) / 1e6;
      if (submissions.size() != 1) {
        throw new IllegalStateException("the bare " + siteName + " program submitted " + submissions.size() + " times");
      }
      Map<String, String> sent = submissions.get(0);
      for (Map.Entry<String, String> e : expected.entrySet()) {
        if (!e.getValue().equals(sent.get(e.getKey()))) {
          throw new IllegalStateException("the bare " + siteName + " program sent " + e.getKey() + " = "
              + sent.get(e.getKey()) + ", expected " + e.getValue());
        }
      }
      return ms;
    }

    @Override
    public void close() {
      playwright.close();
    }
  }

  private static void bareGreenhouse(Page page, String base, Path resume) {
    page.navigate(base + "/greenhouse.html");
    page.fill("#first_name", "Jane");
    page.fill("#last_name", "Doe");
    page.fill("#email", "jane.doe@example.com");
    page.fill("#phone", "+1 415 555 0123");
    page.setInputFiles("#resume_file", resume);
    page.click("#country");
    page.fill("#country", "United States");
    page.click("#country-listbox [role=option]:text-is('United States')");
    page.fill("#job_application_location", "San Francisco, CA");
    page.fill("#job_application_answers_attributes_0_text_value", "https://linkedin.com/in/janedoe");
    page.fill("#job_application_answers_attributes_1_text_value", "https://janedoe.dev");
    page.selectOption("#job_application_answers_attributes_2_boolean_value", "1");
    page.click("#q3");
    page.click("#q3-listbox [role=option]:text-is('No')");
    page.fill("#job_application_answers_attributes_4_text_value", "The payments work.");
    page.fill("#job_application_answers_attributes_6_text_value", "$150,000");
    page.click("#submit_app");
    page.waitForSelector("text=Thank you for applying");
  }

  /** A plain multipart form: text inputs, radios, checkboxes (submitted in page order), a visible file input. */
  private static void bareLever(Page page, String base, Path resume) {
    page.navigate(base + "/lever.html");
    page.setInputFiles("#resume-upload-input", resume);
    page.fill("input[name=name]", "Jane Doe");
    page.fill("input[name=email]", "jane.doe@example.com");
    page.fill("input[name=phone]", "+1 415 555 0123");
    page.fill("input[name=location]", "San Francisco, CA");
    page.fill("input[name=org]", "Initech");
    page.fill("input[name='urls[LinkedIn]']", "https://linkedin.com/in/janedoe");
    page.fill("input[name='urls[Portfolio]']", "https://janedoe.dev");
    page.check("input[name='cards[5f1c][field0]'][value=Yes]");
    page.check("input[name='cards[5f1c][field1]'][value=No]");
    page.check("input[name='cards[5f1c][field2]'][value='Design Systems']");
    page.check("input[name='cards[5f1c][field2]'][value=Research]");
    page.check("input[name='consent[store]']");
    page.click("button.template-btn-submit");
    page.waitForSelector("text=Thank you for applying");
  }

  /**
   * Five steps; every dropdown is a button that opens one {@code #popup} listbox, and each step
   * is shown 150 ms after Save and Continue (the first fill of a step waits for it); the résumé
   * input is hidden and set directly.
   */
  private static void bareWorkday(Page page, String base, FilePayload resume) {
    page.navigate(base + "/workday.html");
    // My Information
    page.click("#country");
    page.click("#popup [role=option]:text-is('United States of America')");
    page.click("#source");
    page.click("#popup [role=option]:text-is('LinkedIn')");
    page.fill("#legalName--firstName", "Jane");
    page.fill("#legalName--lastName", "Doe");
    page.fill("#address--city", "San Francisco");
    page.click("#state");
    page.click("#popup [role=option]:text-is('California')");
    page.fill("#address--postalCode", "94105");
    page.fill("#email", "jane.doe@example.com");
    page.click("#devtype");
    page.click("#popup [role=option]:text-is('Mobile')");
    page.click("#cc");
    page.click("#popup [role=option]:text-is('United States of America (+1)')");
    page.fill("#phone-number", "415 555 0123");
    page.click("#next");
    // My Experience
    page.fill("#school", "University of California, Berkeley");
    page.setInputFiles("#resume-input", resume);
    page.click("#degree");
    page.click("#popup [role=option]:text-is(\"Bachelor's Degree\")");
    page.fill("#fos", "Computer Science");
    page.fill("#li", "https://linkedin.com/in/janedoe");
    page.click("#next");
    // Application Questions
    page.click("#q1");
    page.click("#popup [role=option]:text-is('Yes')");
    page.click("#q2");
    page.click("#popup [role=option]:text-is('No')");
    page.fill("#yoe", "7.5");
    page.click("#next");
    // Voluntary Disclosures
    page.click("#gender");
    page.click("#popup [role=option]:text-is('I do not wish to answer')");
    page.click("#vet");
    page.click("#popup [role=option]:text-is('I do not wish to self-identify')");
    page.check("#terms");
    page.click("#next");
    // Review
    page.click("#submit");
    page.waitForSelector("text=Application Submitted");
  }

  /**
   * Yes/No toggle buttons, a location autocomplete (results 200 ms after typing; text not picked
   * from the list is cleared on blur), a hidden file input; the form posts JSON.
   */
  private static void bareAshby(Page page, String base, FilePayload resume) {
    page.navigate(base + "/ashby.html");
    page.fill("#_systemfield_name", "Jane Doe");
    page.fill("#_systemfield_email", "jane.doe@example.com");
    page.fill("#phone-1", "+1 415 555 0123");
    page.setInputFiles("#_systemfield_resume", resume);
    page.fill("input[name=_systemfield_location]", "San Francisco");
    page.click("#location-results [role=option]:text-is('San Francisco, California, United States')");
    page.click("[data-key=authorized] button:text-is('Yes')");
    page.click("[data-key=sponsorship] button:text-is('No')");
    page.selectOption("#yoe", "6-10");
    page.click("button.ashby-application-form-submit-button");
    page.waitForSelector("text=Thank you for applying");
  }

  /** What each site must receive, field by field (as the apply engine's tests assert). */
  private static Map<String, Map<String, String>> expected() {
    Map<String, String> gh = new LinkedHashMap<>();
    gh.put("job_application[first_name]", "Jane");
    gh.put("job_application[last_name]", "Doe");
    gh.put("job_application[email]", "jane.doe@example.com");
    gh.put("job_application[phone]", "+1 415 555 0123");
    gh.put("job_application[resume]", "file");
    gh.put("job_application[location]", "San Francisco, CA");
    gh.put("job_application[country]", "United States");
    gh.put("job_application[answers_attributes][0][text_value]", "https://linkedin.com/in/janedoe");
    gh.put("job_application[answers_attributes][1][text_value]", "https://janedoe.dev");
    gh.put("job_application[answers_attributes][2][boolean_value]", "1");
    gh.put("job_application[answers_attributes][3][boolean_value]", "0");
    gh.put("job_application[answers_attributes][4][text_value]", "The payments work.");
    gh.put("job_application[answers_attributes][6][text_value]", "$150,000");
    Map<String, String> lever = new LinkedHashMap<>();
    lever.put("resume", "file");
    lever.put("name", "Jane Doe");
    lever.put("email", "jane.doe@example.com");
    lever.put("phone", "+1 415 555 0123");
    lever.put("location", "San Francisco, CA");
    lever.put("org", "Initech");
    lever.put("urls[LinkedIn]", "https://linkedin.com/in/janedoe");
    lever.put("urls[Portfolio]", "https://janedoe.dev");
    lever.put("cards[5f1c][field0]", "Yes");
    lever.put("cards[5f1c][field1]", "No");
    lever.put("cards[5f1c][field2]", "Design Systems, Research");
    lever.put("consent[store]", "true");
    Map<String, String> workday = new LinkedHashMap<>();
    workday.put("country", "United States of America");
    workday.put("source", "LinkedIn");
    workday.put("firstName", "Jane");
    workday.put("lastName", "Doe");
    workday.put("address1", "");
    workday.put("city", "San Francisco");
    workday.put("state", "California");
    workday.put("postal", "94105");
    workday.put("email", "jane.doe@example.com");
    workday.put("deviceType", "Mobile");
    workday.put("phoneCode", "United States of America (+1)");
    workday.put("phone", "415 555 0123");
    workday.put("resume", "resume.pdf");
    workday.put("school", "University of California, Berkeley");
    workday.put("degree", "Bachelor's Degree");
    workday.put("fieldOfStudy", "Computer Science");
    workday.put("linkedin", "https://linkedin.com/in/janedoe");
    workday.put("authorized", "Yes");
    workday.put("sponsorship", "No");
    workday.put("years", "7.5");
    workday.put("gender", "I do not wish to answer");
    workday.put("veteran", "I do not wish to self-identify");
    workday.put("terms", "true");
    Map<String, String> ashby = new LinkedHashMap<>();
    ashby.put("name", "Jane Doe");
    ashby.put("email", "jane.doe@example.com");
    ashby.put("phone", "+1 415 555 0123");
    ashby.put("location", "San Francisco, California, United States");
    ashby.put("authorized", "Yes");
    ashby.put("sponsorship", "No");
    ashby.put("yoe", "6-10");
    ashby.put("pronouns", "");
    ashby.put("resume", "resume.pdf");
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    all.put("greenhouse", gh);
    all.put("lever", lever);
    all.put("workday", workday);
    all.put("ashby", ashby);
    return all;
  }

  private static String applyBody(String base, String site) {
    String qa = switch (site) {
      case "lever" -> "{\"Which teams would you like to work with?\":\"Research; Design Systems\"}";
      // Workday asks a phone's device type, which a profile does not say: a VALET user's Q&A bank does
      case "workday" -> "{\"How did you hear about us?\":\"LinkedIn\",\"Phone Device Type\":\"Mobile\"}";
      case "ashby" -> "{}";
      default -> "{\"Why do you want to work at Acme?\":\"The payments work.\"}";
    };
    return "{\"valet_task_id\":\"bench-" + System.nanoTime() + "\",\"target_url\":\"" + base + "/" + site + ".html\","
        + "\"platform\":\"" + site + "\",\"resume\":{\"download_url\":\"" + base + "/resume.pdf\"},"
        + "\"profile\":{\"first_name\":\"Jane\",\"last_name\":\"Doe\",\"email\":\"jane.doe@example.com\","
        + "\"phone\":\"+1 415 555 0123\",\"linkedin_url\":\"linkedin.com/in/janedoe\","
        + "\"portfolio_url\":\"https://janedoe.dev\",\"location\":{\"city\":\"San Francisco\",\"state\":\"CA\","
        + "\"country\":\"US\",\"zip\":\"94105\"},\"work_authorization\":\"US Citizen\","
        + "\"salary_expectation\":\"$150,000\",\"years_of_experience\":7.5,"
        + "\"education\":[{\"institution\":\"University of California, Berkeley\",\"degree\":\"BS\","
        + "\"field\":\"Computer Science\",\"graduation_year\":0}],"
        + "\"work_history\":[{\"company\":\"Initech\",\"title\":\"Senior Software Engineer\",\"start_date\":\"2020-01\"}],"
        + "\"skills\":[\"Java\"]},\"qa_answers\":" + qa + "}";
  }

  private static void handle(HttpExchange ex, Path resume) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] body = ex.getRequestBody().readAllBytes();
    if (path.equals("/resume.pdf")) {
      send(ex, "application/pdf", Files.readAllBytes(resume));
      return;
    }
    String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
    if ("POST".equals(ex.getRequestMethod()) && path.endsWith("/submit") && type.startsWith("application/json")) {
      // the single-page sites (Workday, Ashby) post JSON and show the reference they get back
      Map<String, String> fields = new LinkedHashMap<>();
      JSON.readTree(body).properties().forEach(e -> fields.put(e.getKey(), e.getValue().asString()));
      submissions.add(fields);
      send(ex, "application/json", (path.startsWith("/ashby") ? "{\"id\":\"ASH-20931\"}" : "{\"reference\":\"WD-2024-7731\"}")
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    if ("POST".equals(ex.getRequestMethod()) && path.endsWith("/submit")) {
      submissions.add(multipart(body, type));
      send(ex, "text/html", ("<!doctype html><title>Application</title><h1>Thank you for applying.</h1>"
          + "<p>Application submitted. Confirmation #B-1</p>").getBytes(StandardCharsets.UTF_8));
      return;
    }
    Path file = ATS.resolve(path.substring(1)).normalize();
    if (!file.startsWith(ATS) || !Files.isRegularFile(file)) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    send(ex, "text/html; charset=utf-8", Files.readAllBytes(file));
  }

  /** Field name → value of a multipart body; file parts read "file", repeated names joined with ", ". */
  private static Map<String, String> multipart(byte[] body, String type) {
    Map<String, String> out = new LinkedHashMap<>();
    for (FormBodies.Part part : FormBodies.multipart(type, body)) {
      out.merge(part.name(), part.isFile() ? "file" : part.value(), (a, b) -> a + ", " + b);
    }
    return out;
  }

  private static void send(HttpExchange ex, String type, byte[] bytes) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("activities/src/test/resources/ats");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("activities/src/test/resources/ats not found");
  }
}
