package io.ghosthands.activities.engine.apply;

import static io.ghosthands.activities.engine.apply.Rules.has;
import static io.ghosthands.activities.engine.apply.Rules.some;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer rules about places: where the candidate lives (a city, a metro area, within a distance
 * of one, one of the countries named) and whether a question about the right to work is about their
 * own country, as far as the job's pages say where the job is.
 */
final class PlaceRules {

    private final CandidateProfile p;
    private final Supplier<PageContext> page;

    PlaceRules(CandidateProfile profile, Supplier<PageContext> page) {
        this.p = profile;
        this.page = page;
    }

    private static final Pattern LIVES_IN = Pattern.compile(
            "^(do|are) you (currently |presently |now )?(live|living|reside|residing|located|based|situated) in (the )?(.+?)"
                    + "( area| region| metro area| metropolitan area| bay area)?$");

    /**
     * "Do you live in the Los Angeles area?", "Are you currently based in the San Francisco Bay Area?":
     * yes when the place is the candidate's city (or exactly their state or country), no when it is
     * another country or state; another city is not answered (it may be next door).
     */
    Optional<Answer> livesIn(String l, FormField f) {
        if (f.kind().equals("text") || p.city().isEmpty()) {
            return Optional.empty();
        }
        Optional<Answer> within = withinDistance(l, f.question());
        if (within != null) {
            return within;
        }
        Optional<Answer> inPlaces = livesInNamedPlaces(l);
        if (inPlaces != null) {
            return inPlaces;
        }
        Matcher m = LIVES_IN.matcher(l);
        if (!m.matches()
                || has(
                        l,
                        "\\bwithin\\b|\\bmiles?\\b|\\bkm\\b|\\bnear\\b|\\bcommut|\\bwilling\\b|\\brelocat|\\bopen to\\b|\\btravel")) {
            return Optional.empty();
        }
        String place = m.group(5).trim();
        String city = Text.normalize(p.city());
        if (Text.containsWords(place + " " + (m.group(6) == null ? "" : m.group(6)), city)) {
            return Optional.of(Answer.yesNo(true, "profile.location", List.of()));
        }
        List<String> states =
                Places.stateNames(p.state()).stream().map(Text::normalize).toList();
        List<String> countries = myCountryNames();
        if (states.contains(place) || countries.contains(place)) {
            return Optional.of(Answer.yesNo(true, "profile.location", List.of()));
        }
        boolean otherCountry =
                Places.knownCountries().stream().anyMatch(names -> names.contains(place)) && !countries.contains(place);
        boolean otherState =
                !Places.stateNames(place).isEmpty() && Places.stateNames(place).size() > 1 && !states.contains(place);
        if (otherCountry || otherState) {
            return Optional.of(Answer.yesNo(false, "profile.location", List.of()));
        }
        // a metro area: yes when the candidate's city is in it, no when it is far from it
        List<Metros.Metro> named = Metros.named(f.question());
        Optional<Metros.Metro> home = Metros.of(p.city());
        if (named.size() == 1 && home.isPresent()) {
            double km = Metros.km(home.get(), named.get(0));
            if (km <= Metros.SAME_KM || km >= Metros.FAR_KM) {
                return Optional.of(Answer.yesNo(km <= Metros.SAME_KM, "profile.location", List.of()));
            }
        }
        return Optional.empty();
    }

    /**
     * "This role is open to candidates in the US or Canada. Do you currently live in this location?":
     * the places the label names; yes when the candidate's country is one of them, no when they are all
     * other countries; null when the question is not of this kind.
     */
    private Optional<Answer> livesInNamedPlaces(String l) {
        if (!has(
                l,
                "\\b(live|living|reside|residing|located|based) (in|within) (this|that|these|those|one of (these|those|the above))"
                        + " (location|locations|area|areas|country|countries|region|regions|place|places)\\b")) {
            return null;
        }
        List<String> mine = myCountryNames();
        boolean mineNamed = namesMyCountry(l);
        boolean otherNamed = namesOtherCountry(l);
        if (mineNamed) {
            return Optional.of(Answer.yesNo(true, "profile.location", List.of()));
        }
        return otherNamed && !mine.isEmpty()
                ? Optional.of(Answer.yesNo(false, "profile.location", List.of()))
                : Optional.empty();
    }

    private static final Pattern WITHIN = Pattern.compile(
            "\\bwithin (about |around |approximately |approx |roughly )?(\\d+) ?(miles?|mi|km|kilomet(er|re)s?) (of|from) (.+)$");

    /**
     * "Are you located within ~50 miles of Seattle, WA; Boston, MA or Austin, TX?": yes when the
     * candidate's city is well inside that distance of one of them, no when it is well outside all of
     * them; null when the question is not of this kind, empty when it is too close to call.
     */
    private Optional<Answer> withinDistance(String l, String raw) {
        Matcher m = WITHIN.matcher(l);
        if (!m.find()
                || !has(l, "\\b(live|living|reside|residing|located|based|situated|are you)\\b")
                || has(l, "\\b(willing|able to|open to|relocat\\w*|commut\\w*|travel\\w*)\\b")) {
            return null;
        }
        double radius = Double.parseDouble(m.group(2)) * (m.group(3).startsWith("k") ? 1 : 1.609);
        String rest = raw.substring(Math.max(0, raw.toLowerCase(Locale.ROOT).indexOf(" of ") + 1));
        List<Metros.Metro> named = Metros.named(rest);
        Optional<Metros.Metro> home = Metros.of(p.city());
        if (named.isEmpty() || home.isEmpty()) {
            return Optional.empty();
        }
        double nearest =
                named.stream().mapToDouble(x -> Metros.km(home.get(), x)).min().orElse(Double.MAX_VALUE);
        // centres of cities, not addresses: a margin on both sides for the suburbs
        if (nearest + 25 <= radius) {
            return Optional.of(Answer.yesNo(true, "profile.location", List.of()));
        }
        if (nearest >= radius * 1.5 + 30) {
            return Optional.of(Answer.yesNo(false, "profile.location", List.of()));
        }
        return Optional.empty();
    }

    private static final Pattern WHICH_AREA = Pattern.compile(
            "(live|living|reside|residing|located|based) in (one of )?(the following|which)|which (of the following )?(metro(politan)? )?"
                    + "(areas?|regions?|cities|city|locations?) (do|are) you (currently )?(live|living|reside|residing|located|based)");

    /**
     * "Do you live in one of the following metro areas?" with the areas as options: the option naming
     * the candidate's own metro area; "None" when every area offered is far from it.
     */
    Optional<Answer> whichArea(String l, FormField f) {
        if (f.options().isEmpty()
                || !WHICH_AREA.matcher(l).find()
                || has(l, "\\b(willing|prefer\\w*|relocat\\w*|office|commut\\w*)\\b")) {
            return Optional.empty();
        }
        Optional<Metros.Metro> home = Metros.of(p.city());
        if (home.isEmpty()) {
            return Optional.empty();
        }
        String none = null;
        boolean allFar = true;
        for (FormField.Option o : f.options()) {
            String t = Text.normalize(o.text());
            if (t.matches("none|none of (the )?above|no|neither|other|not listed|none of these")) {
                none = o.text();
                continue;
            }
            List<Metros.Metro> named = Metros.named(o.text());
            if (named.isEmpty()) {
                allFar = false; // an area the table does not know: it might be the candidate's
                continue;
            }
            for (Metros.Metro x : named) {
                double km = Metros.km(home.get(), x);
                if (km <= Metros.SAME_KM) {
                    return Optional.of(Answer.of(o.text(), "profile.location"));
                }
                allFar &= km >= Metros.FAR_KM;
            }
        }
        return allFar && none != null ? Optional.of(Answer.of(none, "profile.location")) : Optional.empty();
    }

    /**
     * Whether a right-to-work or sponsorship question is about the candidate's own country: it names
     * it, or asks where they live now; or it names none, and the job is there ("the country in which
     * the job is located", or a question naming no place at all) as far as the job's pages say. A
     * question naming another country, or the job's place when the pages say another or nothing, is not.
     */
    boolean authorizationPlaceIsMine(String l) {
        if (namesOtherCountry(l)) {
            return false;
        }
        if (namesMyCountry(l)
                || has(l, "current (location|country)|where you (currently )?(live|reside|are based)|your country")) {
            return true;
        }
        List<String> mine = myCountryNames();
        return refersToJobPlace(l) ? page.get().jobIn(mine) : !page.get().jobElsewhere(mine);
    }

    /** "This country", "the area where this job is located": a place the question does not name. */
    private static boolean refersToJobPlace(String l) {
        return has(
                l,
                "\\b(this|that|the) (country|area|region|location)\\b|where (this|the) (job|role|position) is"
                        + "|job is located|(role|position) is (based|located)|country (of|where) (employment|the job)");
    }

    Optional<Answer> location(boolean withCountry) {
        String cs = withCountry ? CandidateProfile.join(p.city(), p.state(), p.country()) : p.cityState();
        if (cs.isEmpty()) {
            return Optional.empty();
        }
        List<String> more = new ArrayList<>();
        List<String> states = Places.stateNames(p.state());
        for (String s : states) {
            more.add(CandidateProfile.join(p.city(), s));
        }
        more.add(p.city());
        // a list of countries ("What is your location?" over a country dropdown): the country, last
        more.addAll(Places.countryNames(p.country().isEmpty() ? "United States" : p.country()));
        return Optional.of(Answer.of(cs, "profile.location", more));
    }

    /** The candidate's country, normalized, in its known spellings (the United States when unsaid). */
    List<String> myCountryNames() {
        List<String> mine = Places.countryNames(p.country().isEmpty() ? "United States" : p.country()).stream()
                .map(Text::normalize)
                .toList();
        return Places.knownCountries().stream()
                .filter(names -> names.stream().anyMatch(mine::contains))
                .findFirst()
                .orElse(mine);
    }

    boolean namesMyCountry(String l) {
        List<String> mine = myCountryNames();
        return mine.stream().anyMatch(n -> n.length() > 3 && Text.containsWords(l, n))
                || mine.contains("united states") && l.matches(".*\\b(usa|u s a|u s|america|american|the us)\\b.*");
    }

    boolean namesOtherCountry(String l) {
        List<String> mine =
                Places.countryNames(p.country()).stream().map(Text::normalize).toList();
        for (List<String> names : Places.knownCountries()) {
            boolean named = names.stream().anyMatch(n -> Text.containsWords(l, n));
            if (named) {
                boolean isMine = mine.isEmpty()
                        ? names.contains("united states")
                        : names.stream().anyMatch(mine::contains);
                if (!isMine) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A short label asking for the address, the location or a part of it; null when it does not. */
    Optional<Answer> address(String l, int words) {
        if (has(l, "address line 2|address 2|apartment|\\bsuite\\b|\\bapt\\b")) {
            return Optional.empty();
        }
        if (has(
                l,
                "address line 1|address 1|street|^address$|home address|mailing address|residential address"
                        + "|^(legal|permanent|current|postal) address$")) {
            if (!page.get().hasCityField() && !has(l, "line 1|address 1|street")) {
                // one box for the whole address: the street alone would be half an answer
                String full = p.fullAddress();
                return some(full, "profile.location", List.of(p.address()));
            }
            return some(p.address(), "profile.address", List.of());
        }
        if (has(l, "\\bcity\\b") && has(l, "\\b(state|province|region)\\b")) {
            return location(has(l, "\\bcountry\\b"));
        }
        if (has(
                        l,
                        "^location$|current location|^your location|^what is your (current )?(work )?location$|where are you (currently )?(located|based)|city of residence"
                                + "|where (do|will|would) you (plan (on|to) |intend to |expect to )?(be )?(work|working|based|located) from"
                                + "|place of residence|based in|home location|location city|current city|^residence$|where do you live")
                && !has(l, "preferred|desired|office|willing|relocat|open to|travel")) {
            return location(has(l, "\\bcountry\\b"));
        }
        if (has(l, "\\b(city|town)\\b")
                && (words <= 6
                        || has(l, "(city|town) (do you|you) (currently )?(live|reside)|(city|town) of residence"))
                && !has(l, "\\b(birth|born)\\b")) {
            return some(p.city(), "profile.location.city", List.of());
        }
        if (has(l, "\\b(state|province|region|county)\\b")
                && !has(l, "\\b(birth|born|country)\\b")
                && (words <= 6
                        || has(
                                l,
                                "(state|province) (do you|you) (currently |permanently )?(live|reside)|(state|province) of residence"
                                        + "|(state|province) will you be (living|working|based|located|residing)"))) {
            List<String> names = Places.stateNames(p.state());
            return names.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Answer.of(names.get(0), "profile.location.state", names));
        }
        if (has(l, "\\bcountry\\b")
                && (words <= 6 || has(l, "country (of|for) residence|country (do you|you) (currently )?(live|reside)"))
                // "country of birth", "of the home institution": not where the candidate lives
                && (!has(l, "\\bcountry (of|for) ") || has(l, "\\bcountry (of|for) (residence|living|your residence)"))
                && !has(l, "\\b(birth|born|citizenship|nationality|passport)\\b")) {
            List<String> names = Places.countryNames(p.country());
            return names.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Answer.of(names.get(0), "profile.location.country", names));
        }
        if (has(l, "\\bzip\\b|postal|post ?code|postcode")) {
            return some(p.zip(), "profile.location.zip", List.of());
        }
        return null;
    }
}
