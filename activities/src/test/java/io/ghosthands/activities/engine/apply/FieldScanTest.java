package io.ghosthands.activities.engine.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.ghosthands.activities.browser.BrowserSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the page scan reads questions that real pages word or build oddly, each a kind of markup met
 * on saved application pages (not one page): split dates under one label, education entries, phone
 * country pickers, drop zones, terse labels with a description, placeholder names, notes under a
 * question. Real Chromium, markup set inline.
 */
class FieldScanTest {

    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void start() {
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
    static void stop() {
        if (playwright != null) {
            playwright.close();
        }
    }

    private static List<FormField> scan(String body) {
        try (Page page = browser.newPage()) {
            page.setContent("<!doctype html><html><body><form>" + body + "</form></body></html>");
            return new FieldScanner().scan(page).scan().fields();
        }
    }

    private static FormField only(List<FormField> fields, String kind, int nth) {
        return fields.stream()
                .filter(f -> f.kind().equals(kind))
                .skip(nth)
                .findFirst()
                .orElseThrow();
    }

    private static final String MONTHS =
            "<option>January</option><option>February</option><option>March</option><option>April</option>"
                    + "<option>May</option><option>June</option><option>July</option><option>August</option><option>September</option>"
                    + "<option>October</option><option>November</option><option>December</option>";

    private static String years() {
        StringBuilder b = new StringBuilder();
        for (int y = 2027; y >= 2000; y--) {
            b.append("<option>").append(y).append("</option>");
        }
        return b.toString();
    }

    @Test
    void aDateSplitIntoMonthAndYearTakesItsLabelAndPartAndAnEducationEntrySaysSo() {
        List<FormField> fields =
                scan("<div class='education-entry'><label for='school'>School</label><input id='school'>"
                        + "<label for='end'>End Date</label><div id='end'><select>" + MONTHS + "</select><select>"
                        + years() + "</select></div></div>"
                        + "<div class='work-experience'><label for='jend'>End Date</label><div id='jend'><select>"
                        + MONTHS + "</select>"
                        + "<select>" + years() + "</select></div></div>");
        FormField month = only(fields, "select", 0);
        FormField year = only(fields, "select", 1);
        assertThat(month.label()).isEqualTo("End Date (month)");
        assertThat(year.label()).isEqualTo("End Date (year)");
        assertThat(year.context()).isEqualTo("education");
        assertThat(only(fields, "text", 0).context()).isEqualTo("education");
        // the same dates in the work history are the job's, not the education's
        assertThat(only(fields, "select", 3).label()).isEqualTo("End Date (year)");
        assertThat(only(fields, "select", 3).context()).isEqualTo("work");
    }

    @Test
    void aCountryPickerInThePhoneBoxIsThePhonesCountryCode() {
        List<FormField> fields = scan("<label for='ph'>Phone number</label><div class='phone'>"
                + "<div><input role='combobox' aria-label='Search' value='+44 GB'></div><input id='ph' type='tel'></div>"
                + "<label for='c'>Country</label><input id='c' role='combobox' aria-label='Select'>");
        assertThat(fields.get(0).label()).isEqualTo("Phone country code");
        // a country field elsewhere stays what it is; a bare "Select" name gives way to the page's label
        assertThat(fields.get(2).label()).isEqualTo("Country");
    }

    @Test
    void anIntlTelInputCountryButtonIsScannedAsThePhonesCountryCode() {
        List<FormField> fields =
                scan("<label for='tel'>Phone</label><div class='iti'><div class='iti__country-container'>"
                        + "<button type='button' class='iti__selected-country' aria-haspopup='dialog' aria-expanded='false'"
                        + " aria-label='Change country, selected Austria (+43)'><div class='iti__flag'></div></button></div>"
                        + "<input id='tel' type='tel'></div>");
        assertThat(fields.get(0).kind()).isEqualTo("popup");
        assertThat(fields.get(0).label()).startsWith("Phone country code").contains("Austria");
    }

    @Test
    void aDropZoneIsNamedByItsHeadingAndATerseBoxByItsDescription() {
        List<FormField> fields = scan("<div data-test='section-title'>Resume</div><div><div class='dropzone'>"
                + "<label for='f'><span>Choose a file</span> <span>or drop it here</span></label><input type='file' id='f'></div></div>"
                + "<label for='n'>Notification:</label><input type='checkbox' id='n' checked aria-describedby='nd'>"
                + "<span id='nd'>Receive new job posting notifications</span>"
                + "<input type='checkbox' id='p' aria-labelledby='pl' required><label id='pl' for='p'><span></span>*</label>"
                + "<div>I have read the privacy notice and consent to the processing of my data</div>");
        assertThat(only(fields, "file", 0).label()).startsWith("Resume");
        assertThat(only(fields, "checkbox", 0).label())
                .isEqualTo("Notification: Receive new job posting notifications");
        assertThat(only(fields, "checkbox", 1).label()).startsWith("I have read the privacy notice");
    }

    @Test
    void aDescriptionUnderTheLabelAndTheQuestionAboveANoteAreRead() {
        List<FormField> fields = scan("<div><label class='question-title' for='loc'>Location</label>"
                + "<div class='question-description'><p>REQUIRED: Enter your city, region/state, and country</p></div>"
                + "<div><input role='combobox' aria-autocomplete='list'></div></div>"
                + "<div><p>Check Yes or No to indicate your agreement to receive text message updates.</p>"
                + "<p>View our privacy policy here: <a href='#'>Privacy Policy</a></p>"
                + "<div><label><input type='radio' name='sms' value='y'>Yes - I consent</label>"
                + "<label><input type='radio' name='sms' value='n'>No - I do not consent</label></div></div>");
        assertThat(only(fields, "combo", 0).label())
                .isEqualTo("Location REQUIRED: Enter your city, region/state, and country");
        assertThat(only(fields, "radio", 0).label())
                .startsWith("Check Yes or No to indicate your agreement to receive text");
    }

    @Test
    void workdayListboxButtonsNamedSelectOneTakeTheirLegend() {
        List<FormField> fields = scan(
                "<fieldset><legend>Are you legally authorized to work in the United States?*</legend>"
                        + "<button type='button' aria-haspopup='listbox' aria-label='Select One Required'>Select One</button></fieldset>");
        assertThat(only(fields, "popup", 0).label())
                .isEqualTo("Are you legally authorized to work in the United States?*");
        assertThat(only(fields, "popup", 0).required()).isTrue();
    }

    @Test
    void aSearchBoxIsTheSitesUnlessItIsALabelledPicker() {
        List<FormField> fields = scan("<input type='search' placeholder='Search jobs'>"
                + "<label id='dl' for='d'>Please identify your target internship dates. (required)</label>"
                + "<input type='search' id='d' role='combobox' aria-haspopup='listbox' aria-labelledby='dl'>");
        assertThat(fields).hasSize(1);
        assertThat(fields.get(0).label()).startsWith("Please identify your target internship dates");
        assertThat(fields.get(0).required()).isTrue();
    }

    @Test
    void repeatedEntriesOfAPartAreToldApartWrappedOrFlatAndUnclearOnesAreMarked() {
        // one wrapper per entry (Workday, Greenhouse): the entries are the wrappers
        List<FormField> wrapped = scan(
                "<div class='education'><div><h5>Education 1</h5><label for='s1'>School</label><input id='s1'>"
                        + "<label for='d1'>Degree</label><input id='d1'></div><div><h5>Education 2</h5><label for='s2'>School</label><input id='s2'>"
                        + "<label for='d2'>Degree</label><input id='d2'></div><button type='button'>Add another</button></div>");
        assertThat(wrapped).extracting(FormField::context).containsOnly("education");
        assertThat(wrapped).extracting(FormField::entry).containsExactly(0, 0, 1, 1);
        // laid out flat: each entry starts with the part's first question again
        List<FormField> flat = scan(
                "<div id='work-history'><label for='t1'>Job Title</label><input id='t1'><label for='c1'>Company</label>"
                        + "<input id='c1'><label for='t2'>Job Title</label><input id='t2'><label for='c2'>Company</label><input id='c2'></div>");
        assertThat(flat).extracting(FormField::entry).containsExactly(0, 0, 1, 1);
        // one entry: every field is the first entry's
        List<FormField> one = scan(
                "<div id='work-history'><label for='t1'>Job Title</label><input id='t1'><label for='c1'>Company</label>"
                        + "<input id='c1'></div>");
        assertThat(one).extracting(FormField::entry).containsExactly(0, 0);
        // a question asked twice inside what cannot be told to be two entries: that question is no entry's
        List<FormField> unclear = scan(
                "<div id='work-history'><label for='t'>Job Title</label><input id='t'><label for='m1'>Month</label>"
                        + "<input id='m1'><label for='m2'>Month</label><input id='m2'></div>");
        assertThat(unclear).extracting(FormField::entry).containsExactly(0, -1, -1);
        // fields outside any such part are entry 0
        assertThat(scan("<label for='e'>Email</label><input id='e'>"))
                .extracting(FormField::entry)
                .containsExactly(0);
    }
}
