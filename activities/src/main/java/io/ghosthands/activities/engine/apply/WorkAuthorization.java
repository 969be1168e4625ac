package io.ghosthands.activities.engine.apply;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the profile's work authorization says, read from its explicit flags or its free text ("US
 * citizen", "H-1B, needs sponsorship"): the right to work, sponsorship, the country of citizenship.
 */
final class WorkAuthorization {

    private WorkAuthorization() {}

    /** Whether the candidate may work in their country without a new permit; null when unclear. */
    static Boolean authorized(Boolean explicit, String workAuthorization) {
        if (explicit != null) {
            return explicit;
        }
        String w = workAuthorization.toLowerCase(Locale.ROOT);
        if (w.isBlank()) {
            return null;
        }
        if (w.matches(".*\\b(not|no|un)\\s*(legally\\s+)?(authori[sz]ed|eligible|permitted).*")
                || w.equals("no")
                || w.matches(".*\\bunauthori[sz]ed\\b.*")) {
            return false;
        }
        if (w.matches(
                ".*\\b(citizen|citizenship|permanent resident|green card|authori[sz]ed|eligible|yes|ead|work permit"
                        + "|h-?1b|tn|l-?1|e-?3|o-?1|opt|stem opt|asylee|refugee|indefinite leave|settled status)\\b.*")) {
            return true;
        }
        return null;
    }

    /** Whether the candidate needs (now or later) visa sponsorship; null when unclear. */
    static Boolean needsSponsorship(Boolean explicit, String workAuthorization) {
        if (explicit != null) {
            return explicit;
        }
        String w = workAuthorization.toLowerCase(Locale.ROOT);
        if (w.isBlank()) {
            return null;
        }
        if (w.matches(
                ".*\\b(no|not|without|never|don'?t|do not|doesn'?t|does not|won'?t|will not)\\b.{0,25}sponsor.*")) {
            return false;
        }
        if (w.matches(
                ".*\\b(sponsor\\w*|h-?1b|opt|stem opt|f-?1|j-?1|tn|l-?1|e-?3|o-?1|visa required|need(s)? (a )?visa)\\b.*")) {
            return true;
        }
        if (w.matches(".*\\b(citizen|citizenship|permanent resident|green card|indefinite leave|settled status).*")) {
            return false;
        }
        return null;
    }

    /** The country of citizenship the work authorization names ("US citizen" → United States), else empty. */
    static String citizenship(String workAuthorization) {
        String w = Text.normalize(workAuthorization);
        Matcher m = Pattern.compile("^(.+?) (citizen|national)\\b").matcher(w);
        if (!m.find()) {
            return "";
        }
        String c = m.group(1).replaceAll("^(a|an|i am an?|im an?)\\s+", "");
        if (c.matches("us|u s|usa|american|united states( of america)?")) {
            return "United States";
        }
        for (List<String> names : Places.knownCountries()) {
            if (names.contains(c)) {
                return Places.countryNames(names.get(0)).get(0);
            }
        }
        return "";
    }
}
