package io.ghosthands.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FilePayload;
import io.ghosthands.activities.browser.BrowserSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The same fills by hand, one site at a time: one Chromium (launched as the worker launches its
 * own), and per run a new context, the page, every field by its fixed selector, submit, the
 * confirmation; each run's submission is checked field by field against what the site must get.
 */
final class BareApplyProgram implements AutoCloseable {
    private final Playwright playwright;
    private final Browser browser;
    private final ApplyFixtureSite site;
    private final String base;
    private final Path resume;
    // Workday and Ashby submit the file's name: the name GhostHands uploads (its download of /resume.pdf)
    private final FilePayload resumePdf;
    private final Browser.NewContextOptions contextOptions = new Browser.NewContextOptions().setViewportSize(1280, 800);

    BareApplyProgram(ApplyFixtureSite site, Path resume) throws IOException {
        this.site = site;
        this.base = site.base();
        this.resume = resume;
        this.resumePdf = new FilePayload("resume.pdf", "application/pdf", Files.readAllBytes(resume));
        BrowserSettings settings = BrowserSettings.resolve(null, true);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
        BrowserType.LaunchOptions launch =
                new BrowserType.LaunchOptions().setHeadless(true).setArgs(settings.args());
        settings.executable().ifPresent(launch::setExecutablePath);
        browser = playwright.chromium().launch(launch);
    }

    /** One run on {@code siteName}, in ms from the new context to its close; throws when it sent anything else. */
    double run(String siteName, Map<String, String> expected) {
        site.clearSubmissions();
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
        List<Map<String, String>> submissions = site.submissions();
        if (submissions.size() != 1) {
            throw new IllegalStateException(
                    "the bare " + siteName + " program submitted " + submissions.size() + " times");
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
}
