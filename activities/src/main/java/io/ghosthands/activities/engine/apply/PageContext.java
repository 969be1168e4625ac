package io.ghosthands.activities.engine.apply;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * What the page around the fields says, for answers that depend on it.
 *
 * @param hasCityField the form asks for the city apart (so "Address" is the street)
 * @param currencies the currencies the page's text names (symbols and codes, normalized: usd, eur, gbp…)
 * @param countries the countries the page's title, heading and first lines name (where the job is)
 * @param mentioned countries the page's questions name ("UK clearance"), for when the job's own
 *     lines name none
 * @param metros the metro areas the job's title, heading and place lines name
 */
record PageContext(
        boolean hasCityField,
        Set<String> currencies,
        Set<String> countries,
        Set<String> mentioned,
        List<Metros.Metro> metros) {
    static final PageContext NONE = new PageContext(true, Set.of(), Set.of(), Set.of(), List.of());

    PageContext(boolean hasCityField, Set<String> currencies, Set<String> countries) {
        this(hasCityField, currencies, countries, Set.of(), List.of());
    }

    /** Whether the job's pages name its country, and it is only {@code mine}. */
    boolean jobIn(List<String> mine) {
        return !countries.isEmpty() && countries.stream().allMatch(mine::contains);
    }

    /** The same page with the countries earlier pages of the job named (the posting says where the job is). */
    PageContext withCountries(Set<String> earlier) {
        Set<String> all = new TreeSet<>(countries);
        all.addAll(earlier);
        return new PageContext(hasCityField, currencies, all, mentioned, metros);
    }

    /**
     * Whether the page's heading names the job's country, and it is not one of {@code mine}; when the
     * heading names none, whether the page's questions name only other countries (a "UK security
     * clearance" question on a page that does not say where the job is).
     */
    boolean jobElsewhere(List<String> mine) {
        Set<String> said = countries.isEmpty() ? mentioned : countries;
        return !said.isEmpty() && !mine.isEmpty() && said.stream().noneMatch(mine::contains);
    }

    /** Whether an amount like {@code amount} ("$180,000") is in the page's currency, as far as the page says. */
    boolean currencyAgrees(String amount) {
        String mine = amount.contains("$") || amount.toLowerCase(Locale.ROOT).contains("usd")
                ? "usd"
                : amount.contains("€") ? "eur" : amount.contains("£") ? "gbp" : "";
        return currencies.isEmpty() || currencies.contains(mine);
    }

    /** The countries a normalized text names (first spelling of each), "USA" / "U.S." included. */
    private static Set<String> countriesNamed(String normalized) {
        Set<String> named = new TreeSet<>();
        for (List<String> names : Places.knownCountries()) {
            if (names.stream().anyMatch(n -> Text.containsWords(normalized, n))) {
                named.add(names.get(0));
            }
        }
        if (normalized.matches(".*\\b(usa|u s a|u s)\\b.*")) {
            named.add("united states");
        }
        return named;
    }

    /** Reads the page: a city field among the fields, the currencies its text names. */
    static PageContext of(PageScan scan) {
        boolean city = scan.fields().stream()
                .anyMatch(f -> Text.normalize(f.question()).matches(".*\\b(city|town|zip|postal code|post code)\\b.*"));
        Set<String> found = new TreeSet<>();
        Matcher m = CareerRules.CURRENCIES.matcher(scan.text().toLowerCase(Locale.ROOT));
        while (m.find()) {
            String c = m.group();
            found.add(
                    switch (c) {
                        case "$", "usd", "us dollar", "us dollars" -> "usd";
                        case "€", "eur", "euro", "euros" -> "eur";
                        case "£", "gbp", "pound", "pounds" -> "gbp";
                        default -> c.replaceAll("s$", "");
                    });
        }
        // the job's country: named where a posting says where it is: its title, its heading, and the
        // short lines near the top that read like a place ("London, England, United Kingdom",
        // "San Francisco, CA", "Remote - US"), not a country picker's list of names
        StringBuilder where = new StringBuilder(scan.title()).append(" \n ").append(scan.heading());
        String top = scan.text().substring(0, Math.min(1500, scan.text().length()));
        for (String line : top.split("\n")) {
            String t = line.trim();
            if (t.length() <= 100
                    && (t.contains(",")
                            || t.matches("(?i).*\\b(location|locations|remote|office|based in|hybrid)\\b.*"))) {
                where.append(" \n ").append(t);
            }
        }
        String head = Text.normalize(where.toString());
        String rawHead = where.toString();
        Set<String> countries = countriesNamed(head);
        if (Places.namesUsState(rawHead)) {
            countries.add("united states");
        }
        StringBuilder asked = new StringBuilder();
        for (FormField f : scan.fields()) {
            asked.append(' ').append(f.question()).append(" \n ");
        }
        String questions = Text.normalize(asked.toString());
        Set<String> mentioned = countriesNamed(questions);
        if (questions.matches(".*\\buk\\b.*")) {
            mentioned.add("united kingdom");
        }
        return new PageContext(city, found, countries, mentioned, Metros.named(rawHead));
    }
}
