package io.ghosthands.activities.engine.apply;

import static io.ghosthands.activities.engine.apply.Rules.has;
import static io.ghosthands.activities.engine.apply.Rules.some;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer rules about the candidate's career: the right to work, sponsorship and visas, years of
 * experience, the salary expected, the dates of a work-history or education entry, and the ways a
 * degree is spelled.
 */
final class CareerRules {

    /**
     * A question about the legal right to work. "Able to work" alone is not one: "are you able to work
     * from our office three days a week" asks about attendance.
     */
    static final String WORK_AUTH =
            "(authori[sz]ed|eligible|permitted|entitled|legally (able|allowed)|lawfully able|allowed)"
                    + " to (work|be employed|accept employment|take up employment)"
                    + "|right to work|work (authori[sz]ation|permit|eligibility|visa)|employment (authori[sz]ation|eligibility)"
                    + "|authori[sz]ation to work|legally (able|allowed|authori[sz]ed)|eligib\\w* (to|for) (work|employment)";
    /** Wording that makes a question about where, when or how one works, not whether one may. */
    static final String NOT_AUTHORIZATION =
            "\\b(office|on ?site|in person|in the office|hybrid|commut\\w*|relocat\\w*|travel\\w*"
                    + "|days (a|per|each) week|shifts?|weekends?|nights?|overtime|hours|schedule|remote\\w*|part time|full time"
                    + "|background check|drug (test|screen)|physical)\\b";

    private final CandidateProfile p;
    private final Supplier<PageContext> page;
    private final PlaceRules places;

    CareerRules(CandidateProfile profile, Supplier<PageContext> page, PlaceRules places) {
        this.p = profile;
        this.page = page;
        this.places = places;
    }

    /**
     * The right to work, sponsorship and visas; null when the question is about none of them. A
     * citizen of the country is on no visa: "Do you have temporary authorization (OPT, CPT…)?" is no,
     * "If you are in a period of OPT, are you eligible for the extension?" does not apply.
     */
    Optional<Answer> authorization(FormField f, String l, boolean question) {
        Optional<Answer> visa = visaStatus(l);
        if (visa != null) {
            return visa;
        }
        boolean authQuestion = has(l, "sponsor")
                || has(l, WORK_AUTH) && !has(l, NOT_AUTHORIZATION)
                || has(l, "\\b(visa|visas|work permits?)\\b") && has(l, "\\b(need|require|requir\\w+|assist\\w*)\\b");
        if (authQuestion && !places.authorizationPlaceIsMine(l)) {
            // the right to work, and sponsorship, are questions about one country: the candidate's answers
            // hold for theirs only
            return Optional.empty();
        }
        if (has(l, "sponsor")) {
            Boolean needs = p.needsSponsorship();
            if (needs == null) {
                return Optional.empty();
            }
            boolean without = has(l, "\\bwithout\\b");
            return Optional.of(Answer.yesNo(without != needs, "profile.work_authorization", List.of()));
        }
        if (has(l, WORK_AUTH) && !has(l, NOT_AUTHORIZATION)) {
            if (question
                    || f.kind().equals("checkbox")
                    || f.kind().equals("radio")
                    || f.kind().equals("choice")) {
                Boolean ok = p.authorized();
                if (ok == null || places.namesOtherCountry(l)) {
                    return Optional.empty();
                }
                return Optional.of(Answer.yesNo(ok, "profile.work_authorization", List.of(p.workAuthorization())));
            }
            Boolean ok = p.authorized();
            List<String> more = new ArrayList<>();
            if (ok != null && !places.namesOtherCountry(l)) {
                more.add(ok ? "Yes" : "No");
            }
            return some(p.workAuthorization(), "profile.work_authorization", more);
        }
        return null;
    }

    /** Years of experience, asked as a number or as "at least N years"; null when not asked. */
    Optional<Answer> experience(String l, boolean text) {
        // "Do you have over 3 years of professional software engineering experience?": the candidate's years
        Matcher atLeast = Pattern.compile(
                        "\\b(have|with|possess)\\b.{0,20}?\\b(at least |over |more than |a minimum of |minimum )?"
                                + "(\\d+|one|two|three|four|five|six|seven|eight|nine|ten)\\+? (or more )?(years?|yrs)\\b(.*)$")
                .matcher(l);
        if (!text && atLeast.find() && has(atLeast.group(6), "\\bexperience\\b")) {
            Optional<Answer> years = yearsAtLeast(atLeast);
            if (years != null) {
                return years;
            }
        }
        var qualified = Pattern.compile("\\b(years?|yrs) (of )?((\\w+ ){1,3})experience")
                .matcher(l);
        if (qualified.find()
                && !qualified.group(3).replaceFirst("^of ", "").isBlank()
                && !qualified
                        .group(3)
                        .replaceFirst("^of ", "")
                        .trim()
                        .matches(
                                "((professional|relevant|total|overall|work|working|industry|paid|full time|post graduate|related|the)\\s*)+")
                && !inOwnTrade(qualified.group(3).replaceFirst("^of ", ""))) {
            return Optional.empty(); // years of *people management* experience are not the candidate's total years
        }
        if (has(
                l,
                "\\b(years?|yrs) (of )?(\\w+ ){0,2}experience|how many years|experience years|total experience|\\byoe\\b")) {
            // years with one technology are not the candidate's total years
            var specific = Pattern.compile("experience (with|in|using|on|of|doing|working) (\\w+)")
                    .matcher(l);
            if (specific.find()
                    && !specific.group(2).matches("total|industry|the|professional|software|this|similar|related")) {
                return Optional.empty();
            }
            return some(p.yearsOfExperience(), "profile.years_of_experience", List.of());
        }
        return null;
    }

    /** The salary the candidate expects, per year, in its own currency; null when not asked. */
    Optional<Answer> salary(FormField f, String q, String l, boolean text) {
        if (has(
                        l,
                        "salary|compensation|pay (expectation|requirement|range)|(expected|desired|target) (pay|base|annual|total|rate)"
                                + "|remuneration|rate expectation")
                // the profile holds what the candidate expects, per year, in its own currency: not their
                // current or lowest pay, not an hourly or monthly rate, not an amount in another currency
                && !has(
                        l,
                        "\\b(current|currently|present|previous|last|minimum|lowest|least|hourly|per hour|an hour|daily|per day"
                                + "|monthly|per month|a month|weekly|per week)\\b")
                && !otherCurrency(q.toLowerCase(Locale.ROOT), p.salary())
                // no currency in the question: the page's own (a job paid in pounds is not answered in dollars)
                && (CURRENCIES.matcher(q.toLowerCase(Locale.ROOT)).find()
                        || (page.get().currencies().isEmpty()
                                ? !page.get().jobElsewhere(places.myCountryNames())
                                : page.get().currencyAgrees(p.salary())))) {
            String s = p.salary();
            if (s.isEmpty()) {
                return Optional.empty();
            }
            if (!text
                    && f.options().stream()
                            .anyMatch(o -> Text.normalize(o.text())
                                    .matches(".*\\b(year|yearly|annual|annually|annum)\\b.*"))) {
                // the period beside the amount ("Hourly / Yearly"): the profile's amount is a year's
                return Optional.of(Answer.of(
                        "Yearly",
                        "profile.salary_expectation",
                        List.of("Annually", "Annual", "Per year", "Per annum", "Year", "Annual salary")));
            }
            if (f.type().equals("number")) {
                s = digitsOfAmount(s);
            }
            return some(s, "profile.salary_expectation", List.of());
        }
        return null;
    }

    /**
     * A field of a work-history entry (the first, most recent one: the current job): whether it is
     * held now, its start and end as month and year; its location and description are not in the
     * profile. Null when the label is none of these (title and company are read as usual).
     */
    Optional<Answer> workEntry(String l, FormField f) {
        if (has(
                        l,
                        "\\b(currently work|currently (employed|working)|current (job|role|position|employer)|still (work|employed))\\b")
                && f.kind().equals("checkbox")) {
            return p.currentJob().isEmpty()
                    ? Optional.empty()
                    : Optional.of(Answer.yesNo(p.currentJobOngoing(), "profile.work_history.end_date", List.of()));
        }
        boolean month = has(l, "\\bmonth\\b|\\bmm\\b");
        boolean year = has(l, "\\byear\\b|\\byyyy\\b");
        if (month || year) {
            boolean start = has(l, "\\b(from|start\\w*|began|begin)\\b");
            boolean end = has(l, "\\b(to|end\\w*|until|finish\\w*)\\b");
            if (start == end || !start && p.currentJobOngoing()) {
                return Optional.empty(); // which date is unclear; or the end of a job still held
            }
            String[] d = p.currentJobDate(start);
            String v = month && !year ? d[1] : year && !month ? d[0] : "";
            return v.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Answer.of(
                            v,
                            "profile.work_history." + (start ? "start_date" : "end_date"),
                            month && !year ? List.of(String.valueOf(Integer.parseInt(v))) : List.of()));
        }
        if (has(l, "\\b(location|city|address|description|responsibilit\\w*|duties|achievements?|summary|reason)\\b")) {
            return Optional.empty();
        }
        return null;
    }

    /**
     * A field of an education entry: its end year is the graduation year; its start and the months
     * are not in the profile; null when the label says nothing about dates (the usual rules read it:
     * school, degree, field of study).
     */
    Optional<Answer> education(String l) {
        if (!has(l, "\\b(date|year|month|day|from|to|start|end|graduat\\w*|finish\\w*|complet\\w*)\\b")) {
            return null;
        }
        if (has(l, "\\b(start|from|begin\\w*|enrol\\w*)\\b") || has(l, "\\b(month|day)\\b")) {
            return Optional.empty();
        }
        if (has(l, "\\b(end|to|graduat\\w*|finish\\w*|complet\\w*)\\b") && has(l, "\\byear\\b")
                || has(l, "graduat\\w* year|year of graduation")) {
            return some(p.graduationYear(), "profile.education.graduation_year", List.of());
        }
        return Optional.empty();
    }

    private static final Pattern VISA_KIND = Pattern.compile(
            "\\b(opt|cpt|stem opt|h ?1 ?b|f ?1|j ?1|l ?1|o ?1|tn visa|e ?3|ead|temporary (work )?authori[sz]ation|temporary (work )?permit"
                    + "|on an? (work |student )?visa|visa holder|visa status)\\b");

    /**
     * See {@link #fromProfile}: null when the question is not about holding a visa; empty when it is
     * and the profile does not say the candidate is a citizen of the country asked about.
     */
    private Optional<Answer> visaStatus(String l) {
        if (!VISA_KIND.matcher(l).find() || has(l, "sponsor")) {
            return null;
        }
        String citizen = p.citizenship();
        if (citizen.isEmpty()
                || places.namesOtherCountry(l)
                || !Places.countryNames(citizen).stream()
                        .map(Text::normalize)
                        .anyMatch(places.myCountryNames()::contains)
                || page.get().jobElsewhere(places.myCountryNames())) {
            // which permit someone holds is not the general right to work: a green card is not a "temporary
            // authorization", though both may work
            return Optional.empty();
        }
        if (has(l, "^if (you are|you re|you have|currently|you hold)\\b")) {
            return Optional.of(Answer.of(
                    "N/A",
                    "profile.work_authorization",
                    List.of("Not Applicable", "Not applicable", "NA", "Does not apply", "I am not on OPT")));
        }
        if (has(l, "^(do|are|have|will) you\\b")) {
            return Optional.of(Answer.yesNo(false, "profile.work_authorization", List.of()));
        }
        return null;
    }

    private static final List<String> NUMBER_WORDS =
            List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten");

    /**
     * Yes when the candidate's years of experience reach the number asked, no when they fall short;
     * null when the experience asked is of something in particular not the candidate's own trade.
     */
    private Optional<Answer> yearsAtLeast(Matcher m) {
        String after = m.group(6).replaceFirst("^\\s*(of )?", "");
        String kind = after.replaceFirst("\\bexperience\\b.*$", "").trim();
        Set<String> generic = Set.of(
                "professional",
                "relevant",
                "total",
                "overall",
                "work",
                "working",
                "industry",
                "paid",
                "full",
                "time",
                "post",
                "graduate",
                "related",
                "the",
                "hands",
                "on",
                "in",
                "of",
                "over",
                "proven");
        boolean own = Text.words(kind).stream().allMatch(generic::contains) || inOwnTrade(kind);
        // "years of experience with Kubernetes" is experience of one thing
        Matcher with = Pattern.compile(
                        "\\bexperience (with|in|using|on|of|doing|as|working (with|on|in)) (an? |the )?(.+)$")
                .matcher(after);
        if (with.find()
                && !inOwnTrade(with.group(4))
                && !with.group(4).matches("(this|a similar|similar|the same|our) (role|field|industry|position).*")) {
            return null;
        }
        if (!own) {
            return null;
        }
        String y = p.yearsOfExperience();
        if (y.isEmpty() || !y.matches("\\d+(\\.\\d+)?")) {
            return Optional.empty();
        }
        String n = m.group(3);
        int asked = n.matches("\\d+") ? Integer.parseInt(n) : NUMBER_WORDS.indexOf(n);
        double mine = Double.parseDouble(y);
        boolean over = m.group(2) != null && m.group(2).trim().matches("over|more than");
        return Optional.of(Answer.yesNo(over ? mine > asked : mine >= asked, "profile.years_of_experience", List.of()));
    }

    /** Whether "years of X experience" names the candidate's own trade (X in their current title). */
    private boolean inOwnTrade(String qualifier) {
        Set<String> title = Text.words(p.currentTitle());
        Set<String> asked = Text.words(qualifier);
        asked.removeAll(Set.of("professional", "relevant", "total", "overall", "work", "industry", "related"));
        return !asked.isEmpty() && title.containsAll(asked);
    }

    static final Pattern CURRENCIES = Pattern.compile(
            "\\b(usd|us dollars?|eur|euros?|gbp|pounds?|inr|rupees?|pln|zloty|chf|francs?|sek|nok|dkk|krona|krone|cad|aud"
                    + "|jpy|yen|brl|reais|mxn|pesos?|zar|ils|shekels?|aed|dirhams?|czk|huf|lira)\\b|[€£¥₹₽₪]");

    /** Whether the question asks for an amount in a currency other than the one the profile's amount is in. */
    static boolean otherCurrency(String normalizedLabel, String amount) {
        Matcher m = CURRENCIES.matcher(normalizedLabel);
        if (!m.find()) {
            return false;
        }
        String asked = m.group().replaceAll("s$", "");
        String mine = amount.contains("$") || amount.toLowerCase().contains("usd")
                ? "usd"
                : amount.contains("€") ? "eur" : amount.contains("£") ? "gbp" : "";
        boolean dollars = asked.matches("usd|us dollar");
        return mine.isEmpty()
                || !(dollars && mine.equals("usd")
                        || asked.matches("eur|euro") && mine.equals("eur")
                        || asked.matches("gbp|pound") && mine.equals("gbp"));
    }

    static List<String> degreeSpellings(String degree) {
        String d = Text.normalize(degree);
        List<String> out = new ArrayList<>();
        if (has(d, "doctor|\\bph ?d\\b|dphil|\\bdoctoral\\b")) {
            out.addAll(List.of("Doctorate", "Doctoral Degree", "PhD", "Ph.D.", "Doctor"));
        } else if (has(
                d, "master|\\bmba\\b|\\bms\\b|\\bma\\b|\\bmsc\\b|\\bm s\\b|\\bm a\\b|\\bmeng\\b|\\bmfa\\b|\\bmph\\b")) {
            if (has(d, "\\bmba\\b")) {
                out.add("MBA");
            }
            out.addAll(List.of("Master's Degree", "Master's", "Masters", "Master"));
        } else if (has(d, "bachelor|\\bbs\\b|\\bba\\b|\\bbsc\\b|\\bb s\\b|\\bb a\\b|\\bbeng\\b|\\bbfa\\b|undergrad")) {
            out.addAll(List.of("Bachelor's Degree", "Bachelor's", "Bachelors", "Bachelor"));
            // the abbreviation of this very degree ("BS received"), never the other kind's
            if (has(d, "science|\\bbs\\b|\\bbsc\\b|\\bb s\\b")) {
                out.addAll(List.of("BS", "B.S.", "BSc"));
            } else if (has(d, "arts|\\bba\\b|\\bb a\\b")) {
                out.addAll(List.of("BA", "B.A."));
            }
        } else if (has(d, "associate")) {
            out.addAll(List.of("Associate's Degree", "Associate's", "Associate"));
        } else if (has(d, "high school|\\bged\\b|diploma")) {
            out.addAll(List.of("High School Diploma", "High School", "GED"));
        }
        return out;
    }

    static String digitsOfAmount(String s) {
        String n = s.toLowerCase().replace(",", "");
        var m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(k)?").matcher(n);
        if (!m.find()) {
            return "";
        }
        double v = Double.parseDouble(m.group(1)) * (m.group(2) != null ? 1000 : 1);
        return String.valueOf((long) v);
    }
}
