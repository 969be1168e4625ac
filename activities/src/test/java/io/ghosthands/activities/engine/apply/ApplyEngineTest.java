package io.ghosthands.activities.engine.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The apply engine on fixture sites built like Greenhouse, Lever, Workday and Ashby pages, served on
 * loopback and driven in real Chromium (one browser for the class, a fresh context per test). Each
 * fixture's server records what was submitted, so the tests compare field by field and count
 * submissions.
 */
class ApplyEngineTest {

    private static AtsFixtureServer server;
    private static Playwright playwright;
    private static Browser browser;
    private static Path resume;

    private BrowserContext context;
    private Page page;
    private RecordingContext ctx;

    /** Short waits: fixture pages react at once, and the stuck test waits on a page that never does. */
    private static final ApplyEngine.Waits FAST = new ApplyEngine.Waits(1200, 5000, 1000);

    @BeforeAll
    static void start() throws Exception {
        server = new AtsFixtureServer();
        resume = Files.createTempDirectory("gh-apply").resolve("jane-doe-resume.pdf");
        Files.writeString(resume, "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
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
        server.close();
        Files.deleteIfExists(resume);
    }

    @BeforeEach
    void newContext() {
        server.reset();
        context = browser.newContext();
        page = context.newPage();
        ctx = new RecordingContext();
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    /** The candidate as VALET sends them: scheme-less LinkedIn, fractional years, graduation_year 0. */
    static Map<String, Object> profile() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("first_name", "Jane");
        p.put("last_name", "Doe");
        p.put("email", "jane.doe@example.com");
        p.put("phone", "+1 415 555 0123");
        p.put("phone_type", "mobile"); // Workday asks; a number alone does not say
        p.put("linkedin_url", "linkedin.com/in/janedoe");
        p.put("portfolio_url", "https://janedoe.dev");
        p.put("location", Map.of("city", "San Francisco", "state", "CA", "country", "US", "zip", "94105"));
        p.put("work_authorization", "US Citizen");
        p.put("salary_expectation", "$150,000");
        p.put("years_of_experience", 7.5);
        p.put(
                "education",
                List.of(Map.of(
                        "institution",
                        "University of California, Berkeley",
                        "degree",
                        "BS",
                        "field",
                        "Computer Science",
                        "graduation_year",
                        0)));
        p.put(
                "work_history",
                List.of(Map.of(
                        "company",
                        "Initech",
                        "title",
                        "Senior Software Engineer",
                        "start_date",
                        "2020-01",
                        "end_date",
                        "")));
        p.put("skills", List.of("Java", "Kubernetes", "PostgreSQL"));
        p.put("notes", "");
        return p;
    }

    private ApplyEngine engine(String type, String path, Map<String, Object> qa, Path resumeFile) {
        return engine(type, path, qa, resumeFile, profile());
    }

    private ApplyEngine engine(
            String type, String path, Map<String, Object> qa, Path resumeFile, Map<String, Object> userData) {
        Map<String, Object> input = new HashMap<>();
        input.put("user_data", userData);
        input.put("qa_overrides", qa);
        JobSpec spec = new JobSpec("job-1", type, server.url(path), "apply to this job", input, resumeFile);
        page.navigate(spec.targetUrl());
        return new ApplyEngine(spec, ctx, type.equals("apply"), FAST);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        return (List<String>) o;
    }

    private static Map<String, Object> doneData(Outcome o) {
        assertThat(o).as("outcome").isInstanceOf(Outcome.Done.class);
        return ((Outcome.Done) o).resultData();
    }

    @Test
    void greenhouseStyleFormIsFilledFieldByFieldAndSubmittedOnce() {
        ApplyEngine engine = engine(
                "apply",
                "greenhouse.html",
                Map.of(
                        "Why do you want to join Acme?",
                        "Acme's payments work is the problem I want to spend the next years on."),
                resume);

        Outcome ready = engine.proceed(page);

        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        assertThat(server.submissions("greenhouse")).as("proceed never submits").isEmpty();
        Map<String, Object> filled = ((Outcome.ReadyToSubmit) ready).filled();
        assertThat(filled).containsEntry("First Name", "Jane").containsEntry("Resume/CV", "jane-doe-resume.pdf");

        Outcome done = engine.submit(page);

        Map<String, Object> r = doneData(done);
        List<Map<String, Object>> subs = server.submissions("greenhouse");
        assertThat(subs).hasSize(1);
        Map<String, Object> s = subs.get(0);
        assertThat(s)
                .containsEntry("job_application[first_name]", "Jane")
                .containsEntry("job_application[last_name]", "Doe")
                .containsEntry("job_application[email]", "jane.doe@example.com")
                .containsEntry("job_application[phone]", "+1 415 555 0123")
                .containsEntry("job_application[resume]", "jane-doe-resume.pdf")
                .containsEntry("job_application[location]", "San Francisco, CA")
                .containsEntry("job_application[country]", "United States")
                .containsEntry("job_application[answers_attributes][0][text_value]", "https://linkedin.com/in/janedoe")
                .containsEntry("job_application[answers_attributes][1][text_value]", "https://janedoe.dev")
                .containsEntry("job_application[answers_attributes][2][boolean_value]", "1")
                .containsEntry("job_application[answers_attributes][3][boolean_value]", "0")
                .containsEntry(
                        "job_application[answers_attributes][4][text_value]",
                        "Acme's payments work is the problem I want to spend the next years on.")
                .containsEntry("job_application[answers_attributes][5][text_value]", "")
                .containsEntry("job_application[answers_attributes][6][text_value]", "$150,000")
                .containsEntry("job_application[gender]", "")
                .containsEntry("job_application[veteran_status]", "");
        assertThat(r).containsEntry("submitted", true).containsEntry("confirmation_id", "GH-48213");
        assertThat((String) r.get("confirmation_text")).contains("Thank you for applying");
        assertThat(strings(r.get("questions_unanswered")))
                .contains("How did you hear about this job?", "Gender", "Veteran Status");
        assertThat(((Outcome.Done) done).summary()).contains("submitted");
        assertThat(((Outcome.Done) done).screenshotUrls()).isNotEmpty();

        // a second submit call finds the confirmation and clicks nothing
        assertThat(engine.submit(page)).isInstanceOf(Outcome.Done.class);
        assertThat(server.submissions("greenhouse")).hasSize(1);
    }

    @Test
    void fieldsInsideOpenShadowRootsAreFilledAndSubmitted() {
        ApplyEngine engine = engine("apply", "shadow.html", Map.of(), resume);

        Outcome ready = engine.proceed(page);

        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        Outcome done = engine.submit(page);
        doneData(done);
        List<Map<String, Object>> subs = server.submissions("shadow");
        assertThat(subs).hasSize(1);
        assertThat(subs.get(0))
                .containsEntry("first_name", "Jane")
                .containsEntry("last_name", "Doe")
                .containsEntry("email", "jane.doe@example.com")
                .containsEntry("resume", "jane-doe-resume.pdf")
                .containsEntry("auth", "yes")
                .containsEntry("linkedin", "https://linkedin.com/in/janedoe")
                .containsEntry("country", "United States");
    }

    @Test
    void leverStyleFormWithSiblingLabelsFullNameLinksAndRadios() {
        ApplyEngine engine = engine(
                "apply",
                "lever.html",
                Map.of("Which teams would you like to work with?", "Research; Design Systems"),
                resume);

        Outcome ready = engine.proceed(page);
        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        Map<String, Object> r = doneData(engine.submit(page));

        assertThat(server.submissions("lever")).hasSize(1);
        assertThat(server.submissions("lever").get(0))
                .containsEntry("resume", "jane-doe-resume.pdf")
                .containsEntry("name", "Jane Doe")
                .containsEntry("email", "jane.doe@example.com")
                .containsEntry("phone", "+1 415 555 0123")
                .containsEntry("location", "San Francisco, CA")
                .containsEntry("org", "Initech")
                .containsEntry("urls[LinkedIn]", "https://linkedin.com/in/janedoe")
                .containsEntry("urls[GitHub]", "")
                .containsEntry("urls[Portfolio]", "https://janedoe.dev")
                .containsEntry("cards[5f1c][field0]", "Yes")
                .containsEntry("cards[5f1c][field1]", "No")
                .containsEntry("cards[5f1c][field2]", "Design Systems, Research")
                .containsEntry("comments", "")
                .containsEntry("consent[store]", "true");
        assertThat((List<?>) r.get("consents_checked")).hasSize(1);
        assertThat(strings(r.get("questions_unanswered"))).contains("GitHub URL");
        assertThat((String) r.get("confirmation_text")).contains("Application submitted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overwrite", "rerender"})
    void whatAResumeParserPutsOverTypedAnswersIsTypedAgain(String mode) {
        ApplyEngine engine = engine(
                "apply",
                "lever.html?parse=" + mode,
                Map.of("Which teams would you like to work with?", "Research"),
                resume);

        Outcome ready = engine.proceed(page);
        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        doneData(engine.submit(page));

        // the parser answers 400 ms after the upload with "J. Doe", an old address and an old employer;
        // the profile's answers are what gets sent
        assertThat(server.submissions("lever")).hasSize(1);
        assertThat(server.submissions("lever").get(0))
                .containsEntry("name", "Jane Doe")
                .containsEntry("email", "jane.doe@example.com")
                .containsEntry("org", "Initech")
                .containsEntry("phone", "+1 415 555 0123")
                .containsEntry("resume", "jane-doe-resume.pdf");
    }

    @Test
    void sameTextToleratesFormattingButNotOtherWords() {
        assertThat(ApplyEngine.sameText("(415) 555-0123", "+1 415 555 0123")).isTrue();
        assertThat(ApplyEngine.sameText("Jane Doe", "Jane Doe")).isTrue();
        assertThat(ApplyEngine.sameText("J. Doe", "Jane Doe")).isFalse();
        assertThat(ApplyEngine.sameText("jdoe@oldmail.example", "jane.doe@example.com"))
                .isFalse();
        assertThat(ApplyEngine.sameText("Jane", "Jane Doe")).isFalse();
    }

    @Test
    void workdayStyleStepsWithPopupListsHiddenUploadAndReview() {
        ApplyEngine engine = engine("apply", "workday.html", Map.of("How did you hear about us?", "LinkedIn"), resume);

        Outcome ready = engine.proceed(page);
        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        assertThat(page.locator("h2:visible").first().innerText()).isEqualTo("Review");
        assertThat(server.submissions("workday")).isEmpty();

        Map<String, Object> r = doneData(engine.submit(page));

        assertThat(server.submissions("workday")).hasSize(1);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("country", "United States of America");
        expected.put("source", "LinkedIn");
        expected.put("firstName", "Jane");
        expected.put("lastName", "Doe");
        expected.put("address1", "");
        expected.put("city", "San Francisco");
        expected.put("state", "California");
        expected.put("postal", "94105");
        expected.put("email", "jane.doe@example.com");
        expected.put("deviceType", "Mobile");
        expected.put("phoneCode", "United States of America (+1)");
        expected.put("phone", "415 555 0123");
        expected.put("resume", "jane-doe-resume.pdf");
        expected.put("school", "University of California, Berkeley");
        expected.put("degree", "Bachelor's Degree");
        expected.put("fieldOfStudy", "Computer Science");
        expected.put("linkedin", "https://linkedin.com/in/janedoe");
        expected.put("authorized", "Yes");
        expected.put("sponsorship", "No");
        expected.put("years", "7.5");
        expected.put("gender", "I do not wish to answer");
        expected.put("veteran", "I do not wish to self-identify");
        expected.put("terms", true);
        assertThat(server.submissions("workday").get(0)).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(r).containsEntry("pages_visited", 5).containsEntry("confirmation_id", "WD-2024-7731");
        assertThat(ctx.count("page_advanced")).isEqualTo(4);
    }

    @ParameterizedTest
    // ?keys=1: the autocomplete searches on key presses only; ?shift=1: the first pick lands on the
    // option below the one aimed at (the list redrawn under the click): the pick is checked and made again
    @ValueSource(strings = {"ashby.html", "ashby.html?keys=1", "ashby.html?shift=1"})
    void ashbyStyleToggleButtonsAndLocationAutocomplete(String path) {
        ApplyEngine engine = engine("apply", path, Map.of(), resume);

        Outcome ready = engine.proceed(page);
        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        Map<String, Object> r = doneData(engine.submit(page));

        assertThat(server.submissions("ashby")).hasSize(1);
        assertThat(server.submissions("ashby").get(0))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "name", "Jane Doe",
                        "email", "jane.doe@example.com",
                        "phone", "+1 415 555 0123",
                        "location", "San Francisco, California, United States",
                        "authorized", "Yes",
                        "sponsorship", "No",
                        "yoe", "6-10",
                        "pronouns", "",
                        "resume", "jane-doe-resume.pdf"));
        assertThat(r).containsEntry("confirmation_id", "ASH-20931");
    }

    @Test
    void aSubmitTheFormRejectsIsRefilledAndClickedOnceMore() {
        ApplyEngine engine = engine("apply", "ashby.html?reject=1", Map.of(), resume);

        assertThat(engine.proceed(page)).isInstanceOf(Outcome.ReadyToSubmit.class);
        Outcome done = engine.submit(page);

        assertThat(done).as("%s", done).isInstanceOf(Outcome.Done.class);
        assertThat(ctx.count("submit_clicked")).isEqualTo(2);
        assertThat(ctx.count("validation_errors")).isEqualTo(1);
        assertThat(server.submissions("ashby")).hasSize(1);
        assertThat(server.submissions("ashby").get(0)).containsEntry("name", "Jane Doe");
    }

    @Test
    void listingApplyButtonOpeningANewTabIsFollowed() {
        ApplyEngine engine = engine("apply", "listing.html", Map.of(), resume);

        Outcome ready = engine.proceed(page);

        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        assertThat(context.pages()).hasSize(2);
        assertThat(ctx.count("cookie_banner_dismissed")).isEqualTo(1);
        assertThat(ctx.count("apply_clicked")).isEqualTo(1);
        // the caller still holds the listing tab; the engine keeps working in the form's tab
        Map<String, Object> r = doneData(engine.submit(page));
        assertThat(server.submissions("lever")).hasSize(1);
        assertThat(server.submissions("lever").get(0)).containsEntry("name", "Jane Doe");
        assertThat((String) r.get("final_url")).contains("/lever/submit");
    }

    @Test
    void requiredQuestionWithoutAnAnswerStopsWithNeedsAnswersAndSubmitsNothing() {
        ApplyEngine engine = engine("apply", "greenhouse.html", Map.of(), resume);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.NeedsAnswers.class);
        assertThat(((Outcome.NeedsAnswers) o).questions()).containsExactly("Why do you want to work at Acme?");
        assertThat(page.locator("#job_application_answers_attributes_4_text_value")
                        .inputValue())
                .isEmpty();
        assertThat(server.submissions("greenhouse")).isEmpty();

        // the human answers the question on resume (worded their own way); the same engine goes on
        engine.addAnswers(Map.of("why do you want to work at acme", "The payments work."));
        Outcome ready = engine.proceed(page);
        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        doneData(engine.submit(page));
        assertThat(server.submissions("greenhouse"))
                .singleElement()
                .satisfies(s -> assertThat(s)
                        .containsEntry("job_application[answers_attributes][4][text_value]", "The payments work.")
                        .containsEntry("job_application[first_name]", "Jane"));
    }

    @Test
    void requiredResumeWithoutAFileFails() {
        ApplyEngine engine = engine("apply", "lever.html", Map.of(), null);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) o).code()).isEqualTo("resume_unavailable");
        assertThat(server.submissions("lever")).isEmpty();
    }

    @Test
    void aPageThatNeverAdvancesIsStuck() {
        ApplyEngine engine = engine("apply", "stuck.html", Map.of(), resume);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Failed.class);
        Outcome.Failed f = (Outcome.Failed) o;
        assertThat(f.code()).isEqualTo("stuck");
        assertThat(f.details()).containsKey("screenshot_url");
        assertThat(ctx.screenshots).anyMatch(n -> n.contains("stuck"));
        assertThat(page.locator("#fn").inputValue()).isEqualTo("Jane");
    }

    @Test
    void validationErrorsAfterAdvanceAreRefilledOnce() {
        ApplyEngine engine =
                engine("apply", "workday.html?flaky=1", Map.of("How did you hear about us?", "LinkedIn"), resume);

        Outcome ready = engine.proceed(page);

        assertThat(ready).as("%s", ready).isInstanceOf(Outcome.ReadyToSubmit.class);
        assertThat(ctx.count("validation_errors")).isEqualTo(1);
        doneData(engine.submit(page));
        assertThat(server.submissions("workday")).hasSize(1);
        assertThat(server.submissions("workday").get(0)).containsEntry("postal", "94105");
    }

    @Test
    void aBlockerMidFlowPausesAndTheSameEngineContinuesAfterAHumanSolvedIt() {
        ApplyEngine engine =
                engine("apply", "workday.html?captcha=1", Map.of("How did you hear about us?", "LinkedIn"), resume);

        Outcome first = engine.proceed(page);

        assertThat(first).as("%s", first).isInstanceOf(Outcome.Blocked.class);
        assertThat(((Outcome.Blocked) first).blocker().reason().code()).isEqualTo("captcha");
        assertThat(page.locator("h2:visible").first().innerText()).isEqualTo("My Experience");

        page.evaluate("solveCaptcha()"); // the human

        Outcome second = engine.proceed(page);
        assertThat(second).as("%s", second).isInstanceOf(Outcome.ReadyToSubmit.class);
        Map<String, Object> r = doneData(engine.submit(page));
        assertThat(server.submissions("workday")).hasSize(1);
        assertThat(server.submissions("workday").get(0))
                .containsEntry("firstName", "Jane")
                .containsEntry("resume", "jane-doe-resume.pdf");
        assertThat(r).containsEntry("pages_visited", 5);
    }

    @Test
    void fillFormStopsBeforeSubmittingAndNeverSubmits() {
        ApplyEngine engine =
                engine("fill_form", "greenhouse.html", Map.of("Why do you want to work at Acme?", "The work."), resume);

        Outcome o = engine.proceed(page);

        Map<String, Object> r = doneData(o);
        assertThat(r).containsEntry("submitted", false);
        assertThat(((Outcome.Done) o).summary()).contains("stopped before submitting");
        assertThat(page.locator("#first_name").inputValue()).isEqualTo("Jane");
        assertThat(engine.submit(page)).isInstanceOf(Outcome.Failed.class);
        assertThat(server.submissions("greenhouse")).isEmpty();
    }

    @Test
    void aSkillsPickerGetsEachSkillPickedOnItsOwn() {
        ApplyEngine engine = engine("fill_form", "skills.html", Map.of(), null);

        Outcome o = engine.proceed(page);

        assertThat(o).isInstanceOf(Outcome.Done.class);
        // search, pick, repeat: every skill of the profile the site offers becomes a pill
        assertThat(page.locator("[data-automation-id=selectedItem]").allTextContents())
                .containsExactly("Java", "Kubernetes", "PostgreSQL");
        assertThat(page.locator("#skills").inputValue()).isEmpty();
        assertThat(engine.fieldReport()).anySatisfy(r -> {
            assertThat(r.label()).isEqualTo("Type to Add Skills");
            assertThat(r.status()).isEqualTo("filled");
            assertThat(r.value()).isEqualTo("Java, Kubernetes, PostgreSQL");
        });
    }

    @Test
    void anEmptyWorkExperienceAndEducationGetOneEntryEachFilledFromTheProfile() {
        ApplyEngine engine = engine("fill_form", "experience.html", Map.of(), null);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Done.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) page.evaluate("() => window.counts()");
        assertThat(counts).containsEntry("works", 1).containsEntry("schools", 1).containsEntry("languages", 0);
        assertThat(page.locator("#workExperience-1--jobTitle").inputValue()).isEqualTo("Senior Software Engineer");
        assertThat(page.locator("#workExperience-1--companyName").inputValue()).isEqualTo("Initech");
        assertThat(page.locator("#workExperience-1--location").inputValue())
                .as("the job's place is not the candidate's")
                .isEmpty();
        assertThat(page.locator("#workExperience-1--currentlyWorkHere").isChecked())
                .isTrue();
        assertThat(page.locator("#workExperience-1--startMonth").inputValue()).isEqualTo("01");
        assertThat(page.locator("#workExperience-1--startYear").inputValue()).isEqualTo("2020");
        assertThat(page.locator("#education-1--schoolName").inputValue())
                .isEqualTo("University of California, Berkeley");
        assertThat(page.locator("#education-1--fieldOfStudy").inputValue()).isEqualTo("Computer Science");
        assertThat(ctx.events).anySatisfy(e -> assertThat(e.type()).isEqualTo("entry_added"));
    }

    /** Two jobs (the past one listed first, as some résumés have it) and two schools. */
    private static Map<String, Object> twoJobsTwoSchools() {
        Map<String, Object> p = profile();
        p.put(
                "work_history",
                List.of(
                        Map.of(
                                "company",
                                "Difference Labs",
                                "title",
                                "Software Engineer",
                                "start_date",
                                "2016-06",
                                "end_date",
                                "2019-02"),
                        Map.of(
                                "company",
                                "Analytical Engines Inc.",
                                "title",
                                "Senior Software Engineer",
                                "start_date",
                                "2019-03",
                                "end_date",
                                "Present")));
        p.put(
                "education",
                List.of(
                        Map.of(
                                "institution",
                                "Stanford University",
                                "degree",
                                "Master of Science",
                                "field",
                                "Computer Science",
                                "graduation_year",
                                2018),
                        Map.of(
                                "institution",
                                "University of California, Berkeley",
                                "degree",
                                "Bachelor of Science",
                                "field",
                                "Mathematics",
                                "graduation_year",
                                2016.0)));
        return p;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(String part) {
        return (List<Map<String, Object>>) ((Map<String, Object>) page.evaluate("() => window.entries()")).get(part);
    }

    @Test
    void workdayRepeatersGetOneEntryPerJobAndSchoolEachFilledFromItsOwnItem() {
        ApplyEngine engine = engine("fill_form", "workday-my-experience.html", Map.of(), null, twoJobsTwoSchools());

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Done.class);
        List<Map<String, Object>> work = entries("work");
        assertThat(work).as("one entry per job, no more").hasSize(2);
        // the job still held first, with no end; the past one with its end, and not "currently"
        assertThat(work.get(0))
                .containsEntry("title", "Senior Software Engineer")
                .containsEntry("company", "Analytical Engines Inc.")
                .containsEntry("current", true)
                .containsEntry("fromMonth", "03")
                .containsEntry("fromYear", "2019")
                .containsEntry("toMonth", null)
                .containsEntry("toYear", null)
                .containsEntry("location", "")
                .containsEntry("description", "");
        assertThat(work.get(1))
                .containsEntry("title", "Software Engineer")
                .containsEntry("company", "Difference Labs")
                .containsEntry("current", false)
                .containsEntry("fromMonth", "06")
                .containsEntry("fromYear", "2016")
                .containsEntry("toMonth", "02")
                .containsEntry("toYear", "2019")
                .containsEntry("location", "");
        List<Map<String, Object>> schools = entries("education");
        assertThat(schools).as("one entry per school, no more").hasSize(2);
        assertThat(schools.get(0))
                .containsEntry("school", "Stanford University")
                .containsEntry("degree", "Master's Degree")
                .containsEntry("field", "Computer Science")
                .containsEntry("to", "2018")
                .containsEntry("from", "");
        assertThat(schools.get(1))
                .containsEntry("school", "University of California, Berkeley")
                .containsEntry("degree", "Bachelor's Degree")
                .containsEntry("field", "Mathematics")
                .containsEntry("to", "2016")
                .containsEntry("from", "");
        @SuppressWarnings("unchecked")
        Map<String, Object> all = (Map<String, Object>) page.evaluate("() => window.entries()");
        assertThat(all)
                .as("parts the profile says nothing about get no entry")
                .containsEntry("languages", 0)
                .containsEntry("websites", 0);
        assertThat(ctx.events.stream().filter(e -> e.type().equals("entry_added")))
                .hasSize(4);
        // result_data says which entry each value went to
        assertThat(strings(doneData(o).get("questions_unanswered")))
                .contains("Work experience 2 (Software Engineer at Difference Labs): Location");
        @SuppressWarnings("unchecked")
        Map<String, Object> filled = (Map<String, Object>) doneData(o).get("fields_filled");
        assertThat(filled)
                .containsEntry(
                        "Work experience 1 (Senior Software Engineer at Analytical Engines Inc.): Job Title",
                        "Senior Software Engineer")
                .containsEntry("Work experience 2 (Software Engineer at Difference Labs): To Year", "2019")
                .containsEntry(
                        "Education 2 (University of California, Berkeley): To (Actual or Expected) Year", "2016");
        assertThat(engine.fieldReport()).anySatisfy(r -> {
            assertThat(r.label())
                    .isEqualTo("Work experience 2 (Software Engineer at Difference Labs): I currently work here");
            assertThat(r.status()).isEqualTo("unchecked");
        });
    }

    @Test
    void greenhouseStyleEducationBlocksUnderAPlainParagraphGetASecondBlockForTheSecondSchool() {
        ApplyEngine engine = engine("fill_form", "greenhouse-education.html", Map.of(), null, twoJobsTwoSchools());

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Done.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) page.evaluate("() => window.blocks()");
        assertThat(blocks).as("one block per school, no more").hasSize(2);
        assertThat(blocks.get(0))
                .containsEntry("school", "Stanford University")
                .containsEntry("degree", "Master's Degree")
                .containsEntry("discipline", "Computer Science")
                .containsEntry("end", "2018")
                .containsEntry("start", "");
        assertThat(blocks.get(1))
                .containsEntry("school", "University of California, Berkeley")
                .containsEntry("degree", "Bachelor's Degree")
                .containsEntry("discipline", "Mathematics")
                .containsEntry("end", "2016")
                .containsEntry("start", "");
        assertThat(ctx.events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("entry_added");
            assertThat(e.message()).contains("\"Education\"").contains("University of California, Berkeley");
        });
    }

    @Test
    void anEntryTheSiteAlreadyHoldsKeepsItsJobAndOnlyTheMissingJobIsAdded() {
        ApplyEngine engine =
                engine("fill_form", "workday-my-experience.html?draft=1", Map.of(), null, twoJobsTwoSchools());

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Done.class);
        List<Map<String, Object>> work = entries("work");
        assertThat(work).hasSize(2);
        // the entry parsed from the résumé names the past job: it gets that job's dates, not the current one's
        assertThat(work.get(0))
                .containsEntry("title", "Software Engineer")
                .containsEntry("company", "Difference Labs")
                .containsEntry("current", false)
                .containsEntry("fromYear", "2016")
                .containsEntry("toMonth", "02")
                .containsEntry("toYear", "2019");
        assertThat(work.get(1))
                .containsEntry("title", "Senior Software Engineer")
                .containsEntry("company", "Analytical Engines Inc.")
                .containsEntry("current", true)
                .containsEntry("fromMonth", "03")
                .containsEntry("toYear", null);
    }

    @Test
    void aDraftEntryOfOneOfTwoRolesAtOneCompanyKeepsTheRoleItsTitleNames() {
        Map<String, Object> p = twoJobsTwoSchools();
        p.put(
                "work_history",
                List.of(
                        Map.of(
                                "company",
                                "Analytical Engines Inc.",
                                "title",
                                "Senior Software Engineer",
                                "start_date",
                                "2019-03",
                                "end_date",
                                "Present"),
                        Map.of(
                                "company",
                                "Analytical Engines Inc.",
                                "title",
                                "Software Engineer",
                                "start_date",
                                "2016-06",
                                "end_date",
                                "2019-02")));
        ApplyEngine engine = engine(
                "fill_form",
                "workday-my-experience.html?draft=1&title=Software%20Engineer&company=Analytical%20Engines%20Inc.",
                Map.of(),
                null,
                p);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Done.class);
        List<Map<String, Object>> work = entries("work");
        assertThat(work).hasSize(2);
        assertThat(work.get(0))
                .containsEntry("title", "Software Engineer")
                .containsEntry("current", false)
                .containsEntry("fromYear", "2016")
                .containsEntry("toYear", "2019");
        assertThat(work.get(1))
                .containsEntry("title", "Senior Software Engineer")
                .containsEntry("current", true)
                .containsEntry("fromYear", "2019");
    }

    @Test
    void anAddedEntryWhoseRequiredDatesTheProfileLacksIsReportedNotGuessed() {
        Map<String, Object> p = twoJobsTwoSchools();
        p.put(
                "work_history",
                List.of(
                        Map.of(
                                "company",
                                "Analytical Engines Inc.",
                                "title",
                                "Senior Software Engineer",
                                "start_date",
                                "2019-03",
                                "end_date",
                                "Present"),
                        Map.of(
                                "company",
                                "Difference Labs",
                                "title",
                                "Software Engineer",
                                "start_date",
                                "",
                                "end_date",
                                "2019-02"),
                        Map.of("company", "", "title", "", "start_date", "2014-01", "end_date", "2015-01")));
        p.put("education", List.of());
        ApplyEngine engine = engine("fill_form", "workday-my-experience.html", Map.of(), null, p);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.NeedsAnswers.class);
        assertThat(((Outcome.NeedsAnswers) o).questions())
                .containsExactly(
                        "Work experience 2 (Software Engineer at Difference Labs): From Month",
                        "Work experience 2 (Software Engineer at Difference Labs): From Year");
        List<Map<String, Object>> work = entries("work");
        assertThat(work)
                .as("a job with neither title nor company gets no entry")
                .hasSize(2);
        assertThat(work.get(1))
                .containsEntry("company", "Difference Labs")
                .containsEntry("fromMonth", "")
                .containsEntry("fromYear", "")
                .containsEntry("toMonth", "02")
                .containsEntry("toYear", "2019");
        assertThat(entries("education"))
                .as("no school in the profile: no entry")
                .isEmpty();

        // answered under the names they were listed by, they go to that entry only
        engine.addAnswers(Map.of(
                "Work experience 2 (Software Engineer at Difference Labs): From Month",
                "06",
                "Work experience 2 (Software Engineer at Difference Labs): From Year",
                "2016"));
        Outcome again = engine.proceed(page);

        assertThat(again).as("%s", again).isInstanceOf(Outcome.Done.class);
        work = entries("work");
        assertThat(work).hasSize(2);
        assertThat(work.get(1)).containsEntry("fromMonth", "06").containsEntry("fromYear", "2016");
        assertThat(work.get(0)).containsEntry("fromMonth", "03").containsEntry("fromYear", "2019");
    }

    @Test
    void aResumeDropZoneWithoutAFileInputGetsTheFileDroppedAndTheFileIsReallyThere() throws Exception {
        ApplyEngine engine = engine("fill_form", "dropzone.html", Map.of(), resume);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Done.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> dropped = (Map<String, Object>) page.evaluate("() => window.dropped");
        assertThat(dropped).as("the page received the file").isNotNull();
        assertThat(dropped.get("name")).isEqualTo(resume.getFileName().toString());
        assertThat(((Number) dropped.get("size")).longValue()).isEqualTo(Files.size(resume));
        assertThat(doneData(o)).containsEntry("resume_uploaded", true);
    }

    @Test
    void anIntlTelCountryButtonIsSetBeforeTheNationalNumberAndAnAsyncPickerGetsItsSuggestion() {
        ApplyEngine engine = engine("fill_form", "phone-location.html", Map.of(), null);

        Outcome o = engine.proceed(page);

        assertThat(o).as("%s", o).isInstanceOf(Outcome.Done.class);
        // the country first (from Austria to the candidate's), then the number without its code
        assertThat(page.evaluate("() => window.dial")).isEqualTo("+1");
        assertThat(page.locator("#flag").getAttribute("aria-label")).contains("United States");
        assertThat(page.locator("#tel").inputValue().replaceAll("\\D", "")).isEqualTo("4155550123");
        // suggestions that arrive from the server after the typing are waited for and the right one picked
        assertThat(page.locator("#loc-value").inputValue()).isEqualTo("San Francisco, California, United States");
    }

    @Test
    void factoryPicksTheModeFromTheJobType() {
        JobSpec apply = new JobSpec("j", "apply", "http://x", "", Map.of(), null);
        JobSpec fill = new JobSpec("j", "fill_form", "http://x", "", Map.of(), null);
        assertThat(ApplyEngine.create(apply, ctx)).isNotNull();
        assertThat(ApplyEngine.create(fill, ctx).submit(page)).isInstanceOf(Outcome.Failed.class);
    }
}
