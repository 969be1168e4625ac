package io.ghosthands.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestStack;
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
      for (String siteName : expected.keySet()) {
        double[] ms = new double[runs + WARM_UP];
        int right = 0;
        int total = 0;
        String lastId = null;
        for (int i = 0; i < runs + WARM_UP; i++) { // the first runs warm up
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
        }
        gh.put(siteName, Arrays.copyOfRange(ms, WARM_UP, ms.length));
        timelines.put(siteName, timeline(jdbc, lastId));
        keepTrace(jdbc, lastId, siteName);
        accuracy.put(siteName, String.format("%d/%d = %.1f %%", right, total, 100.0 * right / total));
      }

      double[] bare = bareGreenhouse(base, resume, runs, expected.get("greenhouse"));
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
      double[] ghSorted = gh.get("greenhouse").clone();
      Arrays.sort(ghSorted);
      Arrays.sort(bare);
      System.out.printf("  greenhouse: bare Playwright fill+submit median %.0f ms (runs: %s); ratio GhostHands/bare %.2f%n",
          bare[bare.length / 2], rounded(bare), ghSorted[ghSorted.length / 2] / bare[bare.length / 2]);
      System.out.println();
    } finally {
      site.stop(0);
      Files.deleteIfExists(resume);
    }
    System.exit(0);
  }

  /** Writes the job's Playwright trace to target/apply-SITE-trace.zip (open it with playwright show-trace). */
  private static void keepTrace(JdbcTemplate jdbc, String id, String site) throws java.io.IOException {
    List<byte[]> zips = jdbc.query("SELECT content FROM gh_job_artifacts WHERE job_id = ? AND kind = 'trace'",
        (rs, n) -> rs.getBytes(1), UUID.fromString(id));
    if (!zips.isEmpty()) {
      Path out = Path.of("target", "apply-" + site + "-trace.zip");
      Files.createDirectories(out.getParent());
      Files.write(out, zips.get(0));
    }
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

  /** The same fills by hand: a new context, the page, every field by its selector, submit, confirmation. */
  private static double[] bareGreenhouse(String base, Path resume, int runs, Map<String, String> expected) {
    BrowserSettings settings = BrowserSettings.resolve(null, true);
    Map<String, String> env = new java.util.HashMap<>(System.getenv());
    env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env))) {
      Browser.NewContextOptions contextOptions = new Browser.NewContextOptions().setViewportSize(1280, 800);
      com.microsoft.playwright.BrowserType.LaunchOptions launch =
          new com.microsoft.playwright.BrowserType.LaunchOptions().setHeadless(true).setArgs(settings.args());
      settings.executable().ifPresent(launch::setExecutablePath);
      Browser browser = playwright.chromium().launch(launch);
      double[] ms = new double[runs + WARM_UP];
      for (int i = 0; i < runs + WARM_UP; i++) {
        submissions.clear();
        long t0 = System.nanoTime();
        try (BrowserContext context = browser.newContext(contextOptions)) {
          Page page = context.newPage();
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
        ms[i] = (System.nanoTime() - t0) / 1e6;
        Map<String, String> sent = submissions.get(0);
        for (Map.Entry<String, String> e : expected.entrySet()) {
          if (!e.getValue().equals(sent.get(e.getKey()))) {
            throw new IllegalStateException("the bare program sent " + e.getKey() + " = " + sent.get(e.getKey()));
          }
        }
      }
      return Arrays.copyOfRange(ms, WARM_UP, ms.length);
    }
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
      case "workday" -> "{\"How did you hear about us?\":\"LinkedIn\"}";
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
    String boundary = "--" + type.replaceFirst(".*boundary=", "").replace("\"", "");
    String raw = new String(body, StandardCharsets.ISO_8859_1);
    for (String part : raw.split(Pattern.quote(boundary))) {
      int split = part.indexOf("\r\n\r\n");
      if (split < 0) {
        continue;
      }
      String headers = part.substring(0, split);
      Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
      if (!name.find()) {
        continue;
      }
      boolean file = headers.contains("filename=\"") && !headers.contains("filename=\"\"");
      String value = file ? "file" : new String(part.substring(split + 4).replaceFirst("\r\n$", "")
          .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
      out.merge(name.group(1), value, (a, b) -> a + ", " + b);
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
