package io.ghosthands.activities.engine.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the engine answers, without a browser: profile fields by label, yes/no questions read both
 * ways, the caller's answers matched on loose wording, options picked by meaning, and a lenient
 * reading of the profile. Unknown questions stay unanswered.
 */
class AnswerBookTest {

    private static FormField field(String kind, String label) {
        return new FormField(
                0,
                kind,
                kind.equals("text") ? "input" : kind,
                "",
                label,
                false,
                true,
                "",
                List.of(),
                "",
                "",
                "",
                "",
                false,
                "",
                "",
                false,
                0,
                "",
                0);
    }

    private static AnswerBook book(Map<String, Object> profile, Map<String, Object> qa) {
        return new AnswerBook(new CandidateProfile(profile), new QuestionMatcher(qa));
    }

    private static Optional<String> answer(String kind, String label) {
        return book(ApplyEngineTest.profile(), Map.of())
                .answer(field(kind, label), false)
                .map(Answer::value);
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "text|First Name *|Jane",
                "text|Given Name(s)|Jane",
                "text|Legal last name|Doe",
                "text|Full name ✱|Jane Doe",
                "text|Name|Jane Doe",
                "text|Email address|jane.doe@example.com",
                "text|Phone|+1 415 555 0123",
                "text|City|San Francisco",
                "text|State/Province|CA",
                "text|Postal code|94105",
                "text|Country|US",
                "text|City, State|San Francisco, CA",
                "text|Current location|San Francisco, CA",
                "text|LinkedIn Profile|https://linkedin.com/in/janedoe",
                "text|Personal website|https://janedoe.dev",
                "text|Years of experience|7.5",
                "text|How many years of professional experience do you have?|7.5",
                "text|Current company|Initech",
                "text|Current job title|Senior Software Engineer",
                "text|School|University of California, Berkeley",
                "text|Field of study|Computer Science",
                "text|Desired salary|$150,000",
                "text|Skills|Java, Kubernetes, PostgreSQL",
                "select|Are you legally authorized to work in the United States?|Yes",
                "select|Will you now or in the future require sponsorship for employment visa status?|No",
                "radio|Are you able to work in the US without visa sponsorship?|Yes",
                "checkbox|I am legally authorized to work in the United States|Yes",
            })
    void profileAnswers(String kind, String label, String expected) {
        assertThat(answer(kind, label)).as(label).contains(expected);
    }

    @ParameterizedTest(name = "{0} stays unanswered")
    @CsvSource(
            delimiter = '|',
            value = {
                "How did you hear about us?",
                "Emergency contact phone",
                "Reference name",
                "Years of experience with Kubernetes",
                "Are you authorized to work in Canada?",
                "Graduation year",
                "Middle name",
                "Gender",
                "Are you a protected veteran?",
                "Cover letter",
                "Address line 2",
                "What is your favourite colour?",
            })
    void questionsTheProfileDoesNotAnswer(String label) {
        assertThat(answer("text", label)).as(label).isEmpty();
    }

    @Test
    void sponsorshipIsReadFromVisaWordingBothWays() {
        Map<String, Object> p = new HashMap<>(ApplyEngineTest.profile());
        p.put("work_authorization", "H-1B, will need sponsorship for transfer");
        AnswerBook b = book(p, Map.of());
        assertThat(b.answer(field("select", "Will you require visa sponsorship?"), false)
                        .map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(field("select", "Can you work without sponsorship?"), false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(field("select", "Are you authorized to work in the US?"), false)
                        .map(Answer::value))
                .contains("Yes");

        p.put("work_authorization", "Green card holder");
        assertThat(book(p, Map.of())
                        .answer(field("select", "Do you need sponsorship?"), false)
                        .map(Answer::value))
                .contains("No");
        p.put("work_authorization", "Authorized to work");
        assertThat(book(p, Map.of()).answer(field("select", "Do you need sponsorship?"), false))
                .as("authorized says nothing about future sponsorship")
                .isEmpty();
    }

    @Test
    void phoneGoesWithoutItsCountryCodeWhenTheFormHasACodeField() {
        AnswerBook b = book(ApplyEngineTest.profile(), Map.of());
        assertThat(b.answer(field("text", "Phone number"), true).map(Answer::value))
                .contains("415 555 0123");
        assertThat(b.answer(field("text", "Country code"), true).map(Answer::value))
                .contains("+1");
        Answer code = b.answer(field("popup", "Country Phone Code"), true).orElseThrow();
        assertThat(OptionChooser.choose(
                        List.of("Canada (+1)", "United Kingdom (+44)", "United States of America (+1)"),
                        code.spellings()))
                .isEqualTo(2);
    }

    @Test
    void callerAnswersWinAndMatchLooseWording() {
        Map<String, Object> qa = new LinkedHashMap<>();
        qa.put("Why do you want to join Acme?", "The work.");
        qa.put("Gender", "Female");
        qa.put("Are you authorized to work in the US?", "No");
        qa.put("How did you hear about this position", "LinkedIn");
        AnswerBook b = book(ApplyEngineTest.profile(), qa);
        assertThat(b.answer(field("text", "Why do you want to work at Acme?"), false)
                        .map(Answer::value))
                .contains("The work.");
        assertThat(b.answer(field("select", "Gender"), false).map(Answer::value))
                .contains("Female");
        assertThat(b.answer(field("select", "Are you authorized to work in the US? *"), false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(field("text", "How did you hear about us?"), false).map(Answer::value))
                .contains("LinkedIn");
        assertThat(b.answer(field("select", "Are you authorized to work in Canada?"), false))
                .as("another country is another question")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} is not a work-authorization question")
    @CsvSource(
            delimiter = '|',
            value = {
                "Are you able to work from our San Francisco office three days a week?",
                "Are you able to work on-site in our Austin office?",
                "Are you able to work weekends and evening shifts?",
                "Are you legally authorized to work in the US and able to commute to our office daily?",
                "Are you able to work remotely?",
            })
    void attendanceQuestionsAreNotWorkAuthorization(String label) {
        assertThat(answer("radio", label)).as(label).isEmpty();
    }

    @Test
    void commonQuestionsMatchTheCallersAnswersInOtherWords() {
        Map<String, Object> qa = new LinkedHashMap<>();
        qa.put("How did you hear about us?", "LinkedIn");
        qa.put("Are you willing to relocate?", "No");
        qa.put("Gender", "Decline to self-identify");
        qa.put("Are you Hispanic or Latino?", "Decline to self-identify");
        qa.put("Veteran status", "I am not a protected veteran");
        qa.put("Are you at least 18 years of age?", "Yes");
        AnswerBook b = book(ApplyEngineTest.profile(), qa);
        assertThat(b.answer(field("text", "How did you find out about this job?"), false)
                        .map(Answer::value))
                .contains("LinkedIn");
        assertThat(b.answer(field("select", "Where did you first learn about this opening?"), false)
                        .map(Answer::value))
                .contains("LinkedIn");
        assertThat(b.answer(field("radio", "Would you be open to relocating to Austin, TX?"), false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(field("radio", "Are you currently located in or willing to relocate to Austin?"), false))
                .as("two questions in one")
                .isEmpty();
        assertThat(b.answer(field("select", "Are you 18 years of age or older?"), false)
                        .map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(field("select", "Protected veteran status"), false).map(Answer::value))
                .contains("I am not a protected veteran");
        // a decline, in the page's own words
        Answer gender = b.answer(field("select", "What is your gender?"), false).orElseThrow();
        assertThat(OptionChooser.choose(List.of("Male", "Female", "I don't wish to answer"), gender.spellings()))
                .isEqualTo(2);
        Answer hispanic =
                b.answer(field("select", "Are you Hispanic/Latino?"), false).orElseThrow();
        assertThat(OptionChooser.choose(List.of("Yes", "No", "Decline To Self Identify"), hispanic.spellings()))
                .isEqualTo(2);
        assertThat(b.answer(field("select", "Please identify your race"), false))
                .as("race was not answered")
                .isEmpty();
        assertThat(b.answer(field("radio", "Have you ever worked in a regulated industry?"), false))
                .isEmpty();
        assertThat(b.answer(field("radio", "Have you ever worked with Kubernetes?"), false))
                .isEmpty();
        qa.put("Have you ever worked for this company before?", "No");
        AnswerBook former = book(ApplyEngineTest.profile(), qa);
        for (String asked : List.of(
                "Have you ever been employed by Axon?",
                "Have you previously worked at or consulted for GitLab?",
                "Have you ever held a position with this company or any of its subsidiaries?")) {
            assertThat(former.answer(field("radio", asked), false).map(Answer::value))
                    .as(asked)
                    .contains("No");
        }
        // texts and marketing are declined; the period beside a yearly amount is a year
        assertThat(b.answer(field("radio", "Would you like to receive text messages about your application?"), false)
                        .map(Answer::value))
                .contains("No");
        FormField period = new FormField(
                0,
                "select",
                "select",
                "",
                "Desired Salary",
                false,
                true,
                "Hourly",
                List.of(new FormField.Option("Hourly", "h", 1, true), new FormField.Option("Yearly", "y", 2, false)),
                "",
                "",
                "",
                "",
                false,
                "",
                "",
                false,
                0,
                "",
                0);
        Answer year = b.answer(period, false).orElseThrow();
        assertThat(OptionChooser.choose(List.of("Hourly", "Yearly"), year.spellings()))
                .isEqualTo(1);
        assertThat(b.answer(field("text", "What city do you currently live in?"), false)
                        .map(Answer::value))
                .contains("San Francisco");
        assertThat(b.answer(field("text", "In which state do you permanently reside?"), false)
                        .map(Answer::value))
                .contains("CA");
        assertThat(b.answer(field("text", "What is your current country of residence?"), false))
                .isPresent();
        assertThat(b.answer(field("text", "City of birth"), false)).isEmpty();
        // where the candidate lives, asked as a yes/no
        assertThat(b.answer(field("radio", "Are you currently based in the San Francisco Bay Area?"), false)
                        .map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(field("radio", "Do you live in California?"), false).map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(field("radio", "Are you currently located in Canada?"), false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(field("radio", "Do you currently live in Texas?"), false)
                        .map(Answer::value))
                .contains("No");
        // another metro area: no when it is far (Los Angeles), nothing when it may be next door (San Jose)
        assertThat(b.answer(field("radio", "Do you currently live in the Los Angeles, CA area?"), false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(field("radio", "Do you currently live in the San Jose area?"), false))
                .as("next door")
                .isEmpty();
        assertThat(b.answer(field("radio", "Do you live within 50 miles of Seattle?"), false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(field("radio", "Do you live in Springfield?"), false))
                .as("a place the table does not know")
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} stays unanswered")
    @CsvSource(
            delimiter = '|',
            value = {
                "Other website",
                "Design portfolio password (if applicable)",
                "How many years of people management experience do you have?",
                "What is your current salary in USD per year?",
                "What is your minimum expected salary in USD per year?",
                "Expected salary in EUR",
                "Home Institution:",
                "Country of home institution:",
                "Country of birth",
                "Will you require sponsorship to work in the United Kingdom?",
                "Will you require assistance, now or in the future, with visas or work permits for the area where this job is located?",
                "Describe a project you are proud of. This can be from school, an internship or a job, and tell us the city where it happened and what you learned from it.",
                "How did you come to learn about us? (Events, Friends, LinkedIn etc.)",
            })
    void questionsThatOnlySoundLikeAProfileField(String label) {
        assertThat(answer("text", label)).as(label).isEmpty();
    }

    @Test
    void namesAddressesAndFollowUps() {
        AnswerBook b = book(ApplyEngineTest.profile(), Map.of("What are your pronouns?", "She/her"));
        assertThat(b.answer(field("text", "First and Last Name(s)"), false).map(Answer::value))
                .contains("Jane Doe");
        assertThat(b.answer(field("radio", "Pronouns"), false).map(Answer::value))
                .contains("She/her");
        assertThat(b.answer(field("text", "If other, please let us know your pronouns"), false))
                .isEmpty();
        Map<String, Object> p = new HashMap<>(ApplyEngineTest.profile());
        p.put(
                "location",
                Map.of(
                        "address",
                        "500 Howard Street",
                        "city",
                        "San Francisco",
                        "state",
                        "CA",
                        "zip",
                        "94105",
                        "country",
                        "United States"));
        AnswerBook withStreet = book(p, Map.of());
        assertThat(withStreet.answer(field("text", "Address"), false).map(Answer::value))
                .contains("500 Howard Street");
        // one box for the whole address when the form asks for no city
        withStreet.onPage(new PageContext(false, Set.of(), Set.of()));
        assertThat(withStreet.answer(field("text", "Address"), false).map(Answer::value))
                .contains("500 Howard Street, San Francisco, CA 94105, United States");
        p.put("phone_type", "mobile");
        assertThat(book(p, Map.of())
                        .answer(field("popup", "Phone Device Type"), false)
                        .map(Answer::spellings)
                        .orElseThrow())
                .contains("Mobile");
    }

    @Test
    void theCountryTheJobIsInIsKnownOnlyFromTheJobsPages() {
        String q = "Are you legally authorized to work in the country in which the job is located?";
        AnswerBook b = book(ApplyEngineTest.profile(), Map.of());
        assertThat(b.answer(field("popup", q), false))
                .as("where the job is was never said")
                .isEmpty();
        b.onPage(new PageContext(true, Set.of(), Set.of("united states")));
        assertThat(b.answer(field("popup", q), false).map(Answer::value)).contains("Yes");
        b.onPage(new PageContext(true, Set.of(), Set.of("united states", "canada")));
        assertThat(b.answer(field("popup", q), false))
                .as("a job in two countries")
                .isEmpty();
        Map<String, Object> p = new HashMap<>(ApplyEngineTest.profile());
        p.remove("phone_type");
        assertThat(book(p, Map.of()).answer(field("popup", "Phone Device Type"), false))
                .as("a number does not say")
                .isEmpty();
        assertThat(Places.namesUsState("Data Engineer San Francisco, CA")).isTrue();
        assertThat(Places.namesUsState("Remote, Austin, Texas")).isTrue();
        assertThat(Places.namesUsState("London, England, United Kingdom")).isFalse();
    }

    @Test
    void aJobInAnotherCountryIsNotAnsweredWithTheCandidatesOwnRightToWorkOrCurrency() {
        AnswerBook b = book(ApplyEngineTest.profile(), Map.of());
        b.onPage(new PageContext(true, Set.of(), Set.of("united kingdom")));
        assertThat(b.answer(field("radio", "Do you have the right to work?"), false))
                .isEmpty();
        assertThat(b.answer(field("radio", "Will you require sponsorship?"), false))
                .isEmpty();
        assertThat(b.answer(field("text", "Desired salary before deductions"), false))
                .isEmpty();
        // naming the candidate's own country, or where they live, is still theirs to answer
        assertThat(b.answer(field("radio", "Are you authorized to work in the United States?"), false)
                        .map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(field("radio", "Will you require sponsorship in your current location?"), false)
                        .map(Answer::value))
                .contains("No");
        AnswerBook us = book(ApplyEngineTest.profile(), Map.of());
        us.onPage(new PageContext(true, Set.of("usd"), Set.of("united states")));
        assertThat(us.answer(field("text", "Desired salary"), false).map(Answer::value))
                .contains("$150,000");
        us.onPage(new PageContext(true, Set.of("gbp"), Set.of()));
        assertThat(us.answer(field("text", "Desired salary"), false))
                .as("a page paying in pounds")
                .isEmpty();
    }

    @Test
    void aLenientProfileNeverThrowsAndKnowsWhatItKnows() {
        Map<String, Object> p = new HashMap<>();
        p.put("first_name", "");
        p.put("last_name", "Ng");
        p.put("email", "");
        p.put("linkedin_url", "www.linkedin.com/in/ng");
        p.put("years_of_experience", "3.0");
        p.put("city", "Austin");
        p.put("state", "Texas");
        p.put(
                "education",
                List.of(Map.of("institution", "UT Austin", "degree", "Master of Science", "graduation_year", 2016.0)));
        p.put("work_history", "not a list");
        p.put("skills", null);
        AnswerBook b = book(p, null);
        assertThat(b.answer(field("text", "First name"), false)).isEmpty();
        assertThat(b.answer(field("text", "Full name"), false).map(Answer::value))
                .contains("Ng");
        assertThat(b.answer(field("text", "Email"), false)).isEmpty();
        assertThat(b.answer(field("text", "LinkedIn"), false).map(Answer::value))
                .contains("https://www.linkedin.com/in/ng");
        assertThat(b.answer(field("text", "Years of experience"), false).map(Answer::value))
                .contains("3");
        assertThat(b.answer(field("text", "Location"), false).map(Answer::value))
                .contains("Austin, Texas");
        assertThat(b.answer(field("text", "Graduation year"), false).map(Answer::value))
                .contains("2016");
        assertThat(b.answer(field("text", "Current company"), false)).isEmpty();
        assertThat(b.answer(field("text", "Skills"), false)).isEmpty();
        Answer degree = b.answer(field("select", "Highest degree"), false).orElseThrow();
        assertThat(OptionChooser.choose(
                        List.of("High School", "Bachelor's Degree", "Master's Degree", "Doctorate"),
                        degree.spellings()))
                .isEqualTo(2);
        assertThat(new AnswerBook(new CandidateProfile(null), new QuestionMatcher(null))
                        .answer(field("text", "Email"), false))
                .isEmpty();
    }

    @Test
    void optionsArePickedByMeaning() {
        assertThat(OptionChooser.choose(List.of("No", "Yes, I am authorized"), List.of("Yes")))
                .isEqualTo(1);
        assertThat(OptionChooser.choose(List.of("Not applicable", "No"), List.of("No")))
                .isEqualTo(1);
        assertThat(OptionChooser.choose(List.of("Not applicable", "Maybe"), List.of("No")))
                .isEqualTo(-1);
        assertThat(OptionChooser.choose(
                        List.of("0-1 years", "1-3 years", "3-5 years", "5-10 years", "10+ years"), List.of("7.5")))
                .isEqualTo(3);
        assertThat(OptionChooser.choose(List.of("Less than 1 year", "1-2 years", "More than 2"), List.of("0.5")))
                .isEqualTo(0);
        assertThat(OptionChooser.choose(List.of("0-2", "3-5", "10+"), List.of("12")))
                .isEqualTo(2);
        assertThat(OptionChooser.choose(
                        List.of("United States of America", "United Kingdom"), Places.countryNames("USA")))
                .isEqualTo(0);
        assertThat(OptionChooser.choose(List.of("Alabama", "California"), Places.stateNames("CA")))
                .isEqualTo(1);
        assertThat(OptionChooser.choose(List.of("Male", "Female", "Decline To Self Identify"), List.of("decline")))
                .isEqualTo(2);
    }

    private static FormField withOptions(String kind, String label, String context, String... options) {
        List<FormField.Option> opts = new ArrayList<>();
        for (int k = 0; k < options.length; k++) {
            opts.add(new FormField.Option(options[k], options[k], k, false));
        }
        return new FormField(
                0, kind, kind, "", label, false, true, "", opts, "", "", "", "", false, "", "", false, 0, context, 0);
    }

    /** The profile's city is San Francisco: metro-area questions are answered from where that is. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "Do you currently live in the Los Angeles, CA area?|No",
                "Do you currently reside in the Greater Boston Area?|No",
                "Do you live in the Bay Area?|Yes",
                "Are you currently based in the San Francisco Bay Area?|Yes",
                "Are you located within ~50 miles of Seattle, WA; Boston, MA; Washington DC; or Austin, TX?|No",
                "Are you located within 50 miles of Oakland, CA?|Yes",
                // too close to call from city centres: San Jose is ~70 km from San Francisco
                "Do you live in the San Jose area?|",
                "Are you located within 40 miles of San Jose?|",
                // where they would go is another question
                "Are you willing to commute to our office within 50 miles of Seattle?|",
                "Are you able to work from our New York office three days a week?|",
            })
    void metroAreaQuestionsAreAnsweredFromTheCandidatesCity(String label, String expected) {
        Optional<String> got = book(ApplyEngineTest.profile(), Map.of())
                .answer(withOptions("radio", label, "", "Yes", "No"), false)
                .map(Answer::value);
        assertThat(got.orElse(null)).isEqualTo(expected);
    }

    @Test
    void theOptionNamingTheCandidatesMetroAreaIsPickedAndNoneOnlyWhenAllAreFar() {
        AnswerBook b = book(ApplyEngineTest.profile(), Map.of());
        String q = "Do you live in one of the following metro areas?";
        assertThat(b.answer(
                                withOptions(
                                        "radio",
                                        q,
                                        "",
                                        "Chicago Metro Area",
                                        "NYC Metro Area",
                                        "None",
                                        "San Francisco Bay Area"),
                                false)
                        .map(Answer::value))
                .contains("San Francisco Bay Area");
        assertThat(b.answer(withOptions("radio", q, "", "Chicago Metro Area", "NYC Metro Area", "None"), false)
                        .map(Answer::value))
                .contains("None");
        // an area the table does not know might be the candidate's: no "None" then
        assertThat(b.answer(withOptions("radio", q, "", "Chicago Metro Area", "Greater Springfield", "None"), false))
                .isEmpty();
    }

    @Test
    void anEducationEntrysEndYearIsTheGraduationYearAndItsOtherDatesAreNotKnown() {
        Map<String, Object> profile = new HashMap<>(ApplyEngineTest.profile());
        profile.put(
                "education",
                List.of(Map.of(
                        "institution",
                        "University of California, Berkeley",
                        "degree",
                        "BS",
                        "field",
                        "Computer Science",
                        "graduation_year",
                        2016)));
        AnswerBook b = book(profile, Map.of());
        String[] years = {"2027", "2026", "2016", "2015"};
        assertThat(b.answer(withOptions("select", "End Date (year)", "education", years), false)
                        .map(Answer::value))
                .contains("2016");
        assertThat(b.answer(withOptions("text", "End date year", "education"), false)
                        .map(Answer::value))
                .contains("2016");
        assertThat(b.answer(withOptions("select", "Start Date (year)", "education", years), false))
                .isEmpty();
        assertThat(b.answer(withOptions("select", "End Date (month)", "education", "January", "February"), false))
                .isEmpty();
        // the same label outside an education entry is a job's end date: not the graduation year
        assertThat(b.answer(withOptions("select", "End Date (year)", "", years), false))
                .isEmpty();
    }

    @Test
    void aDeclinedTopicIsKnownByItsIntent() {
        AnswerBook b = book(
                ApplyEngineTest.profile(), Map.of("Disability status", "I do not want to answer", "Gender", "Female"));
        assertThat(b.declinesTopicOf("Person with disability")).isTrue();
        assertThat(b.declinesTopicOf("Woman")).isFalse();
        assertThat(b.declinesTopicOf("Parent")).isFalse();
    }

    @Test
    void theCurrentJobFillsAWorkHistoryEntryAndOpenQuestionsStayOpen() {
        Map<String, Object> profile = new HashMap<>(ApplyEngineTest.profile());
        profile.put(
                "work_history",
                List.of(Map.of(
                        "company",
                        "Analytical Engines Inc.",
                        "title",
                        "Senior Software Engineer",
                        "start_date",
                        "2019-03",
                        "end_date",
                        "Present")));
        profile.put("work_authorization", "US citizen");
        profile.put("years_of_experience", 8);
        profile.put("skills", List.of("Java", "Python"));
        AnswerBook b = book(profile, Map.of());
        FormField from = new FormField(
                0, "text", "input", "", "Month", false, true, "", List.of(), "", "", "", "", false, "From*", "", false,
                0, "work", 0);
        assertThat(b.answer(from, false).map(Answer::value)).contains("03");
        FormField fromYear = new FormField(
                0, "text", "input", "", "Year", false, true, "", List.of(), "", "", "", "", false, "From*", "", false,
                0, "work", 0);
        assertThat(b.answer(fromYear, false).map(Answer::value)).contains("2019");
        FormField to = new FormField(
                0, "text", "input", "", "Year", false, true, "", List.of(), "", "", "", "", false, "To*", "", false, 0,
                "work", 0);
        assertThat(b.answer(to, false)).as("a job still held has no end").isEmpty();
        assertThat(b.answer(withOptions("checkbox", "I currently work here", "work"), false)
                        .map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(withOptions("text", "Location", "work"), false))
                .as("the job's place, not the candidate's")
                .isEmpty();
        // open questions and follow-ups are the candidate's own words
        assertThat(b.answer(
                        field("text", "Why are you considering leaving your most recent or current position?"), false))
                .isEmpty();
        assertThat(b.answer(field("text", "If yes, please provide details regarding your current visa status"), false))
                .isEmpty();
        // thresholds of experience, a stack, a citizenship
        assertThat(b.answer(
                                withOptions(
                                        "select",
                                        "Do you have over 3 years of professional software engineering experience?",
                                        "",
                                        "Yes",
                                        "No"),
                                false)
                        .map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(
                                withOptions("select", "Do you have at least 10 years of experience?", "", "Yes", "No"),
                                false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(
                        withOptions("select", "Do you have 5+ years of experience with Kubernetes?", "", "Yes", "No"),
                        false))
                .as("experience of one thing in particular")
                .isEmpty();
        assertThat(b.answer(field("text", "What is your core technical stack?"), false)
                        .map(Answer::value))
                .contains("Java, Python");
        assertThat(b.answer(
                                withOptions(
                                        "select",
                                        "Please select the country you hold citizenship in",
                                        "",
                                        "Canada",
                                        "United States"),
                                false)
                        .map(Answer::value))
                .contains("United States");
    }

    @Test
    void aNumberOfWeeksFallsInARangeOfWeeks() {
        Answer two = Answer.of("Two weeks", "qa_overrides");
        assertThat(OptionChooser.choose(
                        List.of("Immediately", "1-2 weeks", "3-4 weeks", "1-2 months"), two.spellings()))
                .isEqualTo(1);
        assertThat(OptionChooser.choose(List.of("Immediately", "2 weeks", "1 month"), two.spellings()))
                .isEqualTo(1);
        assertThat(OptionChooser.choose(List.of("1-2 months", "3+ months"), two.spellings()))
                .isEqualTo(-1);
    }

    @Test
    void aCitizenHoldsNoVisaAndLivesInTheCountriesNamedBeforeThisLocation() {
        Map<String, Object> profile = new HashMap<>(ApplyEngineTest.profile());
        profile.put("work_authorization", "US citizen");
        AnswerBook b = book(profile, Map.of());
        assertThat(b.answer(
                                withOptions(
                                        "popup",
                                        "Do you have temporary authorization (e.g., OPT, CPT, or similar temporary work"
                                                + " authorization) to currently work in the United States?",
                                        ""),
                                false)
                        .map(Answer::value))
                .contains("No");
        assertThat(b.answer(
                                withOptions(
                                        "popup",
                                        "If you are currently in a period of Optional Practical Training (OPT), are you"
                                                + " eligible for a 24-month OPT extension?",
                                        ""),
                                false)
                        .map(Answer::value))
                .contains("N/A");
        assertThat(b.answer(
                                withOptions(
                                        "select",
                                        "This role is open to candidates in the US or Canada. Do you currently live in this"
                                                + " location?",
                                        "",
                                        "Yes",
                                        "No"),
                                false)
                        .map(Answer::value))
                .contains("Yes");
        assertThat(b.answer(
                                withOptions(
                                        "select",
                                        "This role is open to candidates in Germany or Austria. Do you currently live in one of"
                                                + " these countries?",
                                        "",
                                        "Yes",
                                        "No"),
                                false)
                        .map(Answer::value))
                .contains("No");
        // someone whose citizenship the profile does not give may hold a visa: not answered
        profile.put("work_authorization", "Green card holder");
        assertThat(book(profile, Map.of())
                        .answer(
                                withOptions(
                                        "popup",
                                        "Do you have temporary authorization (OPT, CPT) to work in the"
                                                + " United States?",
                                        ""),
                                false))
                .isEmpty();
    }

    @Test
    void eachEntryOfARepeatedPartAnswersFromItsOwnJobOrSchoolAndAnEntryWithoutOneFromNothing() {
        Map<String, Object> profile = new HashMap<>(ApplyEngineTest.profile());
        profile.put(
                "work_history",
                List.of(
                        Map.of("company", "Old Co", "title", "Intern", "start_date", "2012-06", "end_date", "2012-09"),
                        Map.of("company", "", "title", "", "start_date", "2013-01", "end_date", "2013-02"),
                        Map.of("company", "Undated Co", "title", "Engineer"),
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
        profile.put(
                "education",
                List.of(
                        Map.of("institution", "", "degree", "High School Diploma", "graduation_year", 2008),
                        Map.of(
                                "institution",
                                "Stanford University",
                                "degree",
                                "Master of Science",
                                "graduation_year",
                                2018)));
        profile.put("current_title", "Chief Everything");
        CandidateProfile p = new CandidateProfile(profile);
        // the jobs still held ("Present" before one with no end date at all), then the ended ones latest first
        assertThat(p.jobs())
                .extracting(j -> j.get("company"))
                .containsExactly("Analytical Engines Inc.", "Undated Co", "Difference Labs", "Old Co");
        assertThat(p.currentJob()).containsEntry("company", "Analytical Engines Inc.");
        assertThat(p.schools())
                .extracting(e -> e.get("degree"))
                .containsExactly("Master of Science", "High School Diploma");
        assertThat(p.entriesToAdd("education"))
                .as("no entry is added for a school without a name")
                .isEqualTo(1);

        AnswerBook b = book(profile, Map.of());
        b.entries(Map.of("work", List.of(p.jobs().get(2), Map.of())));
        FormField title2 = new FormField(
                0,
                "text",
                "input",
                "",
                "Job Title",
                false,
                true,
                "",
                List.of(),
                "",
                "",
                "",
                "",
                false,
                "",
                "",
                false,
                0,
                "work",
                0);
        FormField to2 = new FormField(
                0, "text", "input", "", "Year", false, true, "", List.of(), "", "", "", "", false, "To*", "", false, 0,
                "work", 0);
        FormField current2 = new FormField(
                0,
                "checkbox",
                "input",
                "checkbox",
                "I currently work here",
                false,
                true,
                "",
                List.of(),
                "",
                "",
                "",
                "",
                false,
                "",
                "",
                false,
                0,
                "work",
                0);
        assertThat(b.answer(title2, false).map(Answer::value)).contains("Software Engineer");
        assertThat(b.answer(to2, false).map(Answer::value)).contains("2019");
        assertThat(b.answer(current2, false).map(Answer::value)).contains("No");
        // an entry the profile has no job for, or one the scan cannot place, answers nothing (no top-level fallback)
        FormField titleOf3 = new FormField(
                0,
                "text",
                "input",
                "",
                "Job Title",
                false,
                true,
                "",
                List.of(),
                "",
                "",
                "",
                "",
                false,
                "",
                "",
                false,
                0,
                "work",
                1);
        FormField unclear = new FormField(
                0,
                "text",
                "input",
                "",
                "Job Title",
                false,
                true,
                "",
                List.of(),
                "",
                "",
                "",
                "",
                false,
                "",
                "",
                false,
                0,
                "work",
                -1);
        assertThat(b.answer(titleOf3, false)).isEmpty();
        assertThat(b.answer(unclear, false)).isEmpty();
        // an education entry's end year under a "To" legend is that school's graduation year
        FormField eduTo = new FormField(
                0,
                "text",
                "input",
                "",
                "Year",
                false,
                true,
                "",
                List.of(),
                "",
                "",
                "",
                "",
                false,
                "To (Actual or Expected)",
                "",
                false,
                0,
                "education",
                0);
        FormField eduFrom = new FormField(
                0,
                "text",
                "input",
                "",
                "Year",
                false,
                true,
                "",
                List.of(),
                "",
                "",
                "",
                "",
                false,
                "From (Actual or Expected)",
                "",
                false,
                0,
                "education",
                0);
        assertThat(b.answer(eduTo, false).map(Answer::value)).contains("2018");
        assertThat(b.answer(eduFrom, false)).isEmpty();
    }
}
