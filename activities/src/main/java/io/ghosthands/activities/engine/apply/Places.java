package io.ghosthands.activities.engine.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Other spellings of countries and US / Canadian states, and dialling codes, so "US" in a profile
 * finds "United States of America" in a dropdown and "CA" finds "California".
 */
final class Places {

    private Places() {}

    private static final String[][] COUNTRIES = {
        {"United States", "+1", "US", "USA", "U.S.", "U.S.A.", "United States of America", "America"},
        {"Canada", "+1", "CA", "CAN"},
        {"United Kingdom", "+44", "UK", "GB", "GBR", "Great Britain", "England", "Britain"},
        {"Germany", "+49", "DE", "DEU", "Deutschland"},
        {"France", "+33", "FR", "FRA"},
        {"India", "+91", "IN", "IND"},
        {"Ireland", "+353", "IE", "IRL"},
        {"Netherlands", "+31", "NL", "NLD", "The Netherlands", "Holland"},
        {"Spain", "+34", "ES", "ESP", "España"},
        {"Italy", "+39", "IT", "ITA"},
        {"Australia", "+61", "AU", "AUS"},
        {"New Zealand", "+64", "NZ", "NZL"},
        {"Mexico", "+52", "MX", "MEX", "México"},
        {"Brazil", "+55", "BR", "BRA", "Brasil"},
        {"Poland", "+48", "PL", "POL"},
        {"Portugal", "+351", "PT", "PRT"},
        {"Sweden", "+46", "SE", "SWE"},
        {"Switzerland", "+41", "CH", "CHE"},
        {"Israel", "+972", "IL", "ISR"},
        {"Singapore", "+65", "SG", "SGP"},
        {"Japan", "+81", "JP", "JPN"},
        {"China", "+86", "CN", "CHN"},
        {"Philippines", "+63", "PH", "PHL"},
        {"Nigeria", "+234", "NG", "NGA"},
        {"South Africa", "+27", "ZA", "ZAF"},
        {"Argentina", "+54", "AR", "ARG"},
        {"Colombia", "+57", "CO", "COL"},
        {"Ukraine", "+380", "UA", "UKR"},
        {"Romania", "+40", "RO", "ROU"},
        {"Pakistan", "+92", "PK", "PAK"},
    };

    private static final Map<String, String> STATES = new LinkedHashMap<>();

    static {
        String[] pairs = {
            "AL",
            "Alabama",
            "AK",
            "Alaska",
            "AZ",
            "Arizona",
            "AR",
            "Arkansas",
            "CA",
            "California",
            "CO",
            "Colorado",
            "CT",
            "Connecticut",
            "DE",
            "Delaware",
            "DC",
            "District of Columbia",
            "FL",
            "Florida",
            "GA",
            "Georgia",
            "HI",
            "Hawaii",
            "ID",
            "Idaho",
            "IL",
            "Illinois",
            "IN",
            "Indiana",
            "IA",
            "Iowa",
            "KS",
            "Kansas",
            "KY",
            "Kentucky",
            "LA",
            "Louisiana",
            "ME",
            "Maine",
            "MD",
            "Maryland",
            "MA",
            "Massachusetts",
            "MI",
            "Michigan",
            "MN",
            "Minnesota",
            "MS",
            "Mississippi",
            "MO",
            "Missouri",
            "MT",
            "Montana",
            "NE",
            "Nebraska",
            "NV",
            "Nevada",
            "NH",
            "New Hampshire",
            "NJ",
            "New Jersey",
            "NM",
            "New Mexico",
            "NY",
            "New York",
            "NC",
            "North Carolina",
            "ND",
            "North Dakota",
            "OH",
            "Ohio",
            "OK",
            "Oklahoma",
            "OR",
            "Oregon",
            "PA",
            "Pennsylvania",
            "RI",
            "Rhode Island",
            "SC",
            "South Carolina",
            "SD",
            "South Dakota",
            "TN",
            "Tennessee",
            "TX",
            "Texas",
            "UT",
            "Utah",
            "VT",
            "Vermont",
            "VA",
            "Virginia",
            "WA",
            "Washington",
            "WV",
            "West Virginia",
            "WI",
            "Wisconsin",
            "WY",
            "Wyoming",
            "PR",
            "Puerto Rico",
            "AB",
            "Alberta",
            "BC",
            "British Columbia",
            "MB",
            "Manitoba",
            "NB",
            "New Brunswick",
            "NL",
            "Newfoundland and Labrador",
            "NS",
            "Nova Scotia",
            "ON",
            "Ontario",
            "PE",
            "Prince Edward Island",
            "QC",
            "Quebec",
            "SK",
            "Saskatchewan"
        };
        for (int i = 0; i < pairs.length; i += 2) {
            STATES.put(pairs[i], pairs[i + 1]);
        }
    }

    private static String[] countryRow(String country) {
        String c = Text.normalize(country);
        if (c.isEmpty()) {
            return null;
        }
        for (String[] row : COUNTRIES) {
            for (int i = 0; i < row.length; i++) {
                if (i != 1 && Text.normalize(row[i]).equals(c)) {
                    return row;
                }
            }
        }
        return null;
    }

    /** The country as given first, then its other names. */
    static List<String> countryNames(String country) {
        List<String> out = new ArrayList<>();
        if (country.isBlank()) {
            return out;
        }
        out.add(country);
        String[] row = countryRow(country);
        if (row != null) {
            for (int i = 0; i < row.length; i++) {
                if (i != 1 && !out.contains(row[i])) {
                    out.add(row[i]);
                }
            }
        }
        return out;
    }

    /** All names of every country we know, normalized, for spotting a country named in a question. */
    static List<List<String>> knownCountries() {
        List<List<String>> out = new ArrayList<>();
        for (String[] row : COUNTRIES) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < row.length; i++) {
                // two-letter codes are too ambiguous in prose ("in", "it", "us")
                if (i != 1 && row[i].length() > 3) {
                    names.add(Text.normalize(row[i]));
                }
            }
            out.add(names);
        }
        return out;
    }

    static String callingCode(String country) {
        String[] row = countryRow(country);
        return row == null ? "" : row[1];
    }

    /** The dialling code a "+…" number starts with, when it is one we know. */
    static String callingCodeOfNumber(String compact) {
        String best = "";
        for (String[] row : COUNTRIES) {
            if (compact.startsWith(row[1]) && row[1].length() > best.length()) {
                best = row[1];
            }
        }
        return best;
    }

    private static final Pattern STATE_CODE = Pattern.compile(",\\s*([A-Z]{2})\\b");

    /** Whether a posting's text places the job in a US state ("San Francisco, CA", "Austin, Texas"). */
    static boolean namesUsState(String text) {
        Matcher m = STATE_CODE.matcher(text);
        while (m.find()) {
            if (STATES.containsKey(m.group(1))) {
                return true;
            }
        }
        String n = Text.normalize(text);
        for (String name : STATES.values()) {
            String s = Text.normalize(name);
            // a city then the state's full name; "Washington" and "Georgia" alone are too ambiguous
            if (!s.equals("washington")
                    && !s.equals("georgia")
                    && Pattern.compile("\\b[a-z]+ " + s + "\\b").matcher(n).find()
                    && text.matches("(?s).*,\\s*" + Pattern.quote(name) + "\\b.*")) {
                return true;
            }
        }
        return false;
    }

    /** The state as given first, then its abbreviation or full name. */
    static List<String> stateNames(String state) {
        List<String> out = new ArrayList<>();
        if (state.isBlank()) {
            return out;
        }
        out.add(state);
        String up = state.trim().toUpperCase(Locale.ROOT);
        if (STATES.containsKey(up)) {
            out.add(STATES.get(up));
        } else {
            for (Map.Entry<String, String> e : STATES.entrySet()) {
                if (e.getValue().equalsIgnoreCase(state.trim())) {
                    out.add(e.getKey());
                }
            }
        }
        return out;
    }
}
