package io.ghosthands.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the apply bench sends for each fixture site and what each site must receive, field by field. */
final class ApplyExpected {

    private ApplyExpected() {}

    /** What each site must receive, field by field (as the apply engine's tests assert). */
    static Map<String, Map<String, String>> expected() {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("greenhouse", greenhouse());
        all.put("lever", lever());
        all.put("workday", workday());
        all.put("ashby", ashby());
        return all;
    }

    private static Map<String, String> greenhouse() {
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
        return gh;
    }

    private static Map<String, String> lever() {
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
        return lever;
    }

    private static Map<String, String> workday() {
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
        return workday;
    }

    private static Map<String, String> ashby() {
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
        return ashby;
    }

    /** The {@code POST /valet/apply} body of a job on {@code site}, served at {@code base}. */
    static String applyBody(String base, String site) {
        String qa = switch (site) {
            case "lever" -> "{\"Which teams would you like to work with?\":\"Research; Design Systems\"}";
            // Workday asks a phone's device type, which a profile does not say: a VALET user's Q&A bank does
            case "workday" -> "{\"How did you hear about us?\":\"LinkedIn\",\"Phone Device Type\":\"Mobile\"}";
            case "ashby" -> "{}";
            default -> "{\"Why do you want to work at Acme?\":\"The payments work.\"}";
        };
        return "{\"valet_task_id\":\"bench-" + System.nanoTime() + "\",\"target_url\":\"" + base + "/" + site
                + ".html\","
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
}
