package io.ghosthands.activities.engine.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The text rules the scraper applies to wording seen on real postings, beyond the fixture pages:
 * pay ranges in their many spellings, posting dates, company names in page titles, JSON-LD that
 * only parses leniently.
 */
class PostingTextRulesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "$120,000 – $150,000 a year|120000|150000|USD|year",
                "Salary: $50-60k per year|50000|60000|USD|year",
                "£30,000 - £35,000 per annum|30000|35000|GBP|year",
                "€25 – €30 per hour|25|30|EUR|hour",
                "USD 100,000 to 120,000|100000|120000|USD|",
                "Pay: 4.500 € - 5.200 € monthly|4500|5200|EUR|month",
                "CA$90K–CA$110K/yr|90000|110000|CAD|year",
                "$45/hr|45|45|USD|hour",
                "Founded in 2015 - $2M raised; pay $80,000 - $95,000 a year|80000|95000|USD|year",
            })
    void payRangesAreReadFromText(String text, long min, long max, String currency, String unit) {
        Optional<SalaryRange> r = SalaryRange.parse(text);
        assertThat(r).isPresent();
        assertThat(r.get().min().longValue()).isEqualTo(min);
        assertThat(r.get().max().longValue()).isEqualTo(max);
        assertThat(r.get().currency()).isEqualTo(currency);
        assertThat(r.get().unit()).isEqualTo(unit);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"We raised $5M in 2023", "Open 9-5, Monday to Friday", "Join 2,000 - 3,000 engineers"})
    void textWithoutAPayRangeGivesNone(String text) {
        assertThat(SalaryRange.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2024-03-01T09:00:00-05:00|2024-03-01",
                "2024-03-01|2024-03-01",
                "March 4, 2024|2024-03-04",
                "on Mar 4 2024 in Berlin|2024-03-04",
                "4 September 2023|2023-09-04",
                "3 days ago|2024-03-07",
                "30+ days ago|2024-02-09",
                "today|2024-03-10",
                "yesterday|2024-03-09",
                "2 weeks ago|2024-02-25",
            })
    void postingDatesAreReadAsIsoDates(String text, String iso) {
        assertThat(PostedDate.parse(text, LocalDate.of(2024, 3, 10))).contains(LocalDate.parse(iso));
    }

    @Test
    void ambiguousNumericDatesAreLeftUnread() {
        assertThat(PostedDate.parse("03/04/2024", LocalDate.of(2024, 3, 10))).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "Senior Engineer;Senior Engineer - Acme;Acme",
                "Senior Engineer;Acme | Senior Engineer;Acme",
                "Senior Engineer;Job Application for Senior Engineer at Acme;Acme",
                "Senior Engineer;Senior Engineer at Acme Careers;Acme",
                "Senior Engineer;Senior Engineer - Greenhouse;",
                "Senior Engineer;Welcome;",
            })
    void companyIsTakenFromThePageTitleOnlyWhenItIsTheOneOtherSegment(String job, String page, String company) {
        assertThat(JobPostingExtractor.companyFromTitle(job, page)).isEqualTo(Optional.ofNullable(company));
    }

    @Test
    void jsonLdWithRawLineBreaksTrailingCommasAndCommentsIsReadAndABrokenScriptIsCounted() {
        JsonLd ld = JsonLd.read(
                List.of(
                        "<!-- {\"@type\": \"JobPosting\", \"title\": \"A\nB\", } -->",
                        "{\"@type\": \"JobPosting\", \"title\": \"unterminated",
                        "[{\"@type\": \"Organization\"}, {\"@type\": \"http://schema.org/JobPosting\", /* x */ \"title\": \"C\"}]"));
        assertThat(ld.postings()).extracting(n -> n.get("title").asText()).containsExactly("A\nB", "C");
        assertThat(ld.unreadable()).isEqualTo(1);
    }

    @Test
    void jsonLdShapesTheFixturesDoNotUseAreReadToo() {
        String ld = "{\"@context\":\"https://schema.org\",\"@type\":\"JobPosting\",\"name\":\"Nurse &amp; Carer\","
                + "\"hiringOrganization\":\"St Mary's\",\"jobLocation\":{\"@type\":\"Place\",\"address\":\"Leeds, UK\"},"
                + "\"employmentType\":\"Full-time, part time\",\"salaryCurrency\":\"GBP\",\"baseSalary\":28000,"
                + "\"datePosted\":\"2024-02-30\"}";
        Map<String, Object> r = new JobPostingExtractor(LocalDate.of(2024, 3, 10))
                .extract(Map.of(
                        "url",
                        "https://jobs.example/1",
                        "documentTitle",
                        "Nurse",
                        "ldJson",
                        List.of(ld),
                        "dom",
                        Map.of(),
                        "meta",
                        Map.of()));
        assertThat(r)
                .containsEntry("title", "Nurse & Carer")
                .containsEntry("company", "St Mary's")
                .containsEntry("location", "Leeds, UK")
                .containsEntry("employment_type", "FULL_TIME, PART_TIME")
                .containsEntry("posted_date", null) // 30 February is no date
                .containsEntry("source", "json-ld")
                .containsEntry("job_posting_found", true);
        assertThat(r.get("salary_range")).isEqualTo(new SalaryRange(28000L, 28000L, "GBP", null).toMap());
    }

    @Test
    void htmlDescriptionsBecomePlainText() {
        assertThat(PlainText.fromHtml("<div><h3>Role</h3><p>Build&nbsp;things &#8211; fast.</p><script>x()</script>"
                        + "<ul><li>One</li><li>Two</li></ul></div>"))
                .isEqualTo("Role\nBuild things – fast.\n• One\n• Two");
    }
}
