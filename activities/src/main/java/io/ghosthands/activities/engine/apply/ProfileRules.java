package io.ghosthands.activities.engine.apply;

import static io.ghosthands.activities.engine.apply.Rules.has;
import static io.ghosthands.activities.engine.apply.Rules.some;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The candidate profile's answers to a field, by rules on its label (and its autocomplete token):
 * contact details, links, name, address and location, education, the current job; the career and
 * place rules are {@link CareerRules} and {@link PlaceRules}. A rule never makes an answer up: a
 * label no rule places has none.
 */
final class ProfileRules {

    /** Questions about another person (an emergency contact, a referee…) are never the candidate's. */
    private static final Pattern OTHER_PERSON = Pattern.compile(
            "\\b(emergency|reference|referee|referr\\w*|referring|manager|supervisor|spouse|parent|guardian|recruiter|hiring"
                    + "|contact person|next of kin|relative)\\b");

    private static final Pattern QUESTION_START =
            Pattern.compile("^(are|do|does|did|will|would|have|has|can|could|is|were|was|may|should|if)\\b");

    private final CandidateProfile p;
    private final Supplier<PageContext> page;
    private final PlaceRules places;
    private final CareerRules career;

    ProfileRules(CandidateProfile profile, Supplier<PageContext> page) {
        this.p = profile;
        this.page = page;
        this.places = new PlaceRules(profile, page);
        this.career = new CareerRules(profile, page, places);
    }

    /** The profile's answer to a field, from its autocomplete token or its label; empty when none. */
    Optional<Answer> fromProfile(FormField f, boolean pageHasPhoneCode) {
        String q = f.question();
        String l = Text.normalize(q);
        String ac = f.autocomplete();
        Optional<Answer> byAutocomplete = byAutocomplete(ac, pageHasPhoneCode);
        if (byAutocomplete.isPresent()) {
            return byAutocomplete;
        }
        if (l.isEmpty() || has(l, OTHER_PERSON.pattern()) || has(l, "\\b(password|passcode|passphrase|pin)\\b")) {
            return Optional.empty(); // another person's details, or a secret the profile does not hold
        }
        // a follow-up ("If yes, please provide details…") or an open question ("Why are you considering
        // leaving…?") asks for words of the candidate's own, never a profile field
        if (has(
                l,
                "^(if (yes|no|so|not|other|applicable|you (answered|selected|chose|checked))|please (specify|explain|elaborate|describe"
                        + "|provide (more )?details)|why\\b|how come|describe|explain|tell us)")) {
            return Optional.empty();
        }
        Optional<Answer> entry = entryField(f, q, l);
        if (entry != null) {
            return entry;
        }
        boolean question = q.trim().endsWith("?") || QUESTION_START.matcher(l).find();
        int words = l.split(" ").length;
        boolean text = f.kind().equals("text") || f.kind().equals("combo");
        Optional<Answer> found = firstOf(
                () -> career.authorization(f, l, question),
                () -> career.experience(l, text),
                () -> career.salary(f, q, l, text),
                () -> contact(f, l, words, text, pageHasPhoneCode),
                () -> residence(f, l));
        if (found != null) {
            return found;
        }
        // A long question that mentions "school" or "city" in passing ("…a project from school, an
        // internship or a job…") is not asking for the school: profile fields answer short labels only.
        boolean shortLabel = words <= 12;
        if (has(l, "\\bother\\b") || !shortLabel) {
            return Optional.empty(); // "Other website": the profile's links have their own fields
        }
        found = firstOf(() -> names(l), () -> places.address(l, words), () -> schoolAndJob(f, l, text));
        return found != null ? found : Optional.empty();
    }

    /** The first rule's answer that is not null (null: the rule does not apply); null when none applies. */
    @SafeVarargs
    private static Optional<Answer> firstOf(Supplier<Optional<Answer>>... rules) {
        for (Supplier<Optional<Answer>> rule : rules) {
            Optional<Answer> a = rule.get();
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    /** A field of a work-history or education entry: its dates; null for the other fields (read as usual). */
    private Optional<Answer> entryField(FormField f, String q, String l) {
        if (f.context().equals("work")) {
            Optional<Answer> job = career.workEntry(Text.normalize(f.section() + " " + q), f);
            if (job != null) {
                return job;
            }
        }
        if (f.context().equals("education")) {
            // a date split into parts names the part ("Year"), its group says which date ("To (Actual or Expected)")
            Optional<Answer> school = career.education(
                    has(l, "^(month|year|day|mm|yyyy|dd)$") ? Text.normalize(f.section() + " " + q) : l);
            if (school != null) {
                return school;
            }
        }
        return null;
    }

    /** Texts and marketing, phone, email, profile links, the current company and stack; null when none. */
    private Optional<Answer> contact(FormField f, String l, int words, boolean text, boolean pageHasPhoneCode) {
        if (!text
                && !f.kind().equals("checkbox")
                && has(l, "text messages?|\\bsms\\b|newsletter|marketing (messages|emails|communications)")
                && has(l, "consent|agree|receive|opt|subscribe|would you like")) {
            // whether to be sent texts or marketing: nobody asked for them, so no
            return Optional.of(Answer.of(
                    "No",
                    "privacy",
                    List.of("No, I do not consent", "I do not consent", "Do not consent", "No thanks", "Opt out")));
        }
        Optional<Answer> phone = phone(f, l, pageHasPhoneCode);
        if (phone != null) {
            return phone;
        }
        if (has(l, "\\be ?mail\\b") || f.type().equals("email")) {
            return some(p.email(), "profile.email", List.of());
        }
        return links(f, l, words, text);
    }

    /** The phone number, its country code or its type; null when the label asks for none of them. */
    private Optional<Answer> phone(FormField f, String l, boolean pageHasPhoneCode) {
        if (has(
                l,
                "country( region)? (phone )?code|phone (country )?code|dial(l)?ing code|calling code|phone country|country prefix")) {
            String code = p.phoneCountryCode();
            if (code.isEmpty()) {
                return Optional.empty();
            }
            List<String> more = new ArrayList<>();
            for (String name :
                    Places.countryNames(p.country().isEmpty() && code.equals("+1") ? "United States" : p.country())) {
                more.add(name + " (" + code + ")");
                more.add(name);
            }
            more.add(code.substring(1));
            List<String> spellings = new ArrayList<>(more);
            if (!f.kind().equals("text")) {
                // a dropdown or a searchable picker lists countries; the bare code matches many of them
                return Optional.of(
                        new Answer(more.isEmpty() ? code : more.get(0), Text.distinct(spellings), "profile.phone"));
            }
            return Optional.of(Answer.of(code, "profile.phone", spellings));
        }
        if (has(l, "\\bext(ension)?\\b")) {
            return Optional.empty();
        }
        if (has(l, "(phone|device|number) type|type of (phone|device|number)")) {
            // a number does not say whether it is a mobile or a landline: only the profile can
            String type = p.phoneType();
            if (type.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(
                    Text.normalize(type).matches("mobile|cell|cellular|mobile phone|cell phone")
                            ? Answer.of(
                                    "Mobile",
                                    "profile.phone_type",
                                    List.of("Cell", "Mobile phone", "Cell phone", "Cellular"))
                            : Answer.of(type, "profile.phone_type"));
        }
        if (has(l, "\\b(phone|mobile|cell|cellphone|telephone|tel)\\b")
                || f.type().equals("tel")) {
            return some(pageHasPhoneCode ? p.phoneNational() : p.phone(), "profile.phone", List.of());
        }
        return null;
    }

    /** Profile links, the current company and the stack, asked in a sentence too; null when none. */
    private Optional<Answer> links(FormField f, String l, int words, boolean text) {
        boolean aboutALink =
                words <= 6 || has(l, "\\b(url|urls|profile|link|links|handle|username|account|page|address)\\b");
        if (has(l, "linked ?in") && aboutALink) {
            return some(p.linkedin(), "profile.linkedin_url", List.of());
        }
        if (has(l, "git ?hub") && aboutALink) {
            return some(p.github(), "profile.github_url", List.of());
        }
        if (has(l, "\\btwitter\\b") && aboutALink) {
            return some(p.twitter(), "profile.twitter_url", List.of());
        }
        // a link to the portfolio, asked in a sentence ("A design portfolio is required… please provide a link")
        if (text
                && has(l, "\\bportfolio\\b")
                && has(l, "\\b(link|url|provide|share|website|submit)\\b")
                && !has(l, "\\b(other|additional)\\b|^(\\w+ ){0,3}(password|passcode)\\b")) {
            return some(p.portfolio(), "profile.portfolio_url", List.of());
        }
        // "Confirm the name of the company where you work"
        if (text
                && has(
                        l,
                        "\\bcompany (where|that|which|for which|at which) you (currently )?work|\\bcompany you (currently )?work (for|at)"
                                + "|name of your (current )?(employer|company)")) {
            return some(p.currentCompany(), "profile.work_history.company", List.of());
        }
        // "What is your core technical stack?"
        if (text
                && has(
                        l,
                        "\\btech(nical|nology)? stack\\b|\\b(technologies|tools|programming languages) (do you|you) (use|know|work with)")) {
            List<String> sk = p.skills();
            return sk.isEmpty() ? Optional.empty() : Optional.of(Answer.of(String.join(", ", sk), "profile.skills"));
        }
        return null;
    }

    /** Citizenship, and where the candidate lives asked as a question of any length; null when neither. */
    private Optional<Answer> residence(FormField f, String l) {
        // "Please select the country you hold citizenship in"
        if (has(l, "\\bcitizenship\\b|\\bcitizen of\\b|\\bnationality\\b")
                && has(l, "\\b(country|countries|which|what|select|nationality)\\b")
                && !has(l, "\\b(dual|other|second|additional|previous|former)\\b")
                && !has(l, "^(are|do|have|is|were) you\\b")
                && f.options().stream().noneMatch(o -> Text.normalize(o.text()).matches("yes|no"))) {
            String c = p.citizenship();
            if (!c.isEmpty()) {
                List<String> names = Places.countryNames(c);
                return Optional.of(Answer.of(names.get(0), "profile.work_authorization", names));
            }
        }
        // where the candidate lives, asked as a question of any length
        if (has(
                        l,
                        "\\b(which|what) (us |u s )?(state|province) (will|do|are) you (be )?(currently |now )?(live|living|reside|residing"
                                + "|work|working|be working|based|located)\\b")
                && !has(l, "\\b(willing|prefer\\w*|relocat\\w*|office|commut\\w*)\\b")) {
            List<String> names = Places.stateNames(p.state());
            if (!names.isEmpty()) {
                return Optional.of(Answer.of(names.get(0), "profile.location.state", names));
            }
        }
        Optional<Answer> livesThere = places.livesIn(l, f);
        if (livesThere.isPresent()) {
            return livesThere;
        }
        Optional<Answer> area = places.whichArea(l, f);
        return area.isPresent() ? area : null;
    }

    /** A short label asking for links or the candidate's name; null when it does not. */
    private Optional<Answer> names(String l) {
        if (has(l, "portfolio|\\bweb ?site\\b|personal (site|url|page)|homepage|\\bblog\\b|^urls?$|^links?$")) {
            return some(has(l, "portfolio") ? p.portfolio() : p.website(), "profile.portfolio_url", List.of());
        }
        if (has(l, "\\bmiddle\\b|\\bmaiden\\b|\\bnick ?name\\b")) {
            return Optional.empty();
        }
        if (has(l, "\\bname") && has(l, "\\b(first|given)\\b.*\\b(last|family|sur)\\b") && onlyNameWords(l)) {
            return some(p.fullName(), "profile.first_name+last_name", List.of()); // "First and Last Name(s)"
        }
        boolean first = has(l, "\\b(first|given|fore) ?names?\\b|preferred (first )?name|^first$");
        boolean last = has(l, "\\b(last|family|sur) ?names?\\b|\\bsurname\\b|^last$");
        if (first && !last) {
            return some(p.firstName(), "profile.first_name", List.of());
        }
        if (last && !first) {
            return some(p.lastName(), "profile.last_name", List.of());
        }
        if (has(l, "\\bname\\b") && onlyNameWords(l)) {
            return some(p.fullName(), "profile.first_name+last_name", List.of());
        }
        return null;
    }

    /** A short label asking about education, the current job or skills; null when it does not. */
    private Optional<Answer> schoolAndJob(FormField f, String l, boolean text) {
        if (has(
                l,
                "field of study|\\bmajor\\b|discipline|area of study|concentration|course of study|speciali[sz]ation")) {
            return some(p.fieldOfStudy(), "profile.education.field", List.of());
        }
        if (has(l, "graduat|grad year|year of completion|completion (year|date)")
                || has(l, "\\b(education|school|degree|university|college)\\b")
                        && has(l, "\\bend (date )?year\\b|\\bto year\\b|\\byear (ended|finished)\\b")) {
            return some(p.graduationYear(), "profile.education.graduation_year", List.of());
        }
        if (has(l, "high school")) {
            return Optional.empty();
        }
        if (has(l, "school|university|college|alma mater")
                || has(l, "institution") && has(l, "educat|stud(y|ied)|degree|attend")) {
            return some(p.school(), "profile.education.institution", List.of());
        }
        if (has(
                l,
                "\\bdegree\\b|education level|level of education|highest (level of )?(education|qualification)|^education$")) {
            String d = p.degree();
            return d.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Answer.of(d, "profile.education.degree", CareerRules.degreeSpellings(d)));
        }
        if (has(
                l,
                "(current|most recent|present|latest) (job )?(title|role|position)|job title|^title$|position title")) {
            return some(p.currentTitle(), "profile.work_history.title", List.of());
        }
        if (has(
                l,
                "(current|most recent|present|latest) (company|employer|organi[sz]ation)|^(company|employer)( name)?$"
                        + "|^current employer$|^organi[sz]ation$")) {
            return some(p.currentCompany(), "profile.work_history.company", List.of());
        }
        if (has(l, "\\bskills?\\b") && (text || f.tag().equals("textarea"))) {
            List<String> s = p.skills();
            return s.isEmpty() ? Optional.empty() : Optional.of(Answer.of(String.join(", ", s), "profile.skills"));
        }
        return null;
    }

    private Optional<Answer> byAutocomplete(String ac, boolean pageHasPhoneCode) {
        String token = ac.replaceAll(
                        "^(section-\\S+\\s+)?(shipping\\s+|billing\\s+)?(home\\s+|work\\s+|mobile\\s+)?", "")
                .trim();
        return switch (token) {
            case "given-name" -> some(p.firstName(), "profile.first_name", List.of());
            case "family-name" -> some(p.lastName(), "profile.last_name", List.of());
            case "name" -> some(p.fullName(), "profile.first_name+last_name", List.of());
            case "email" -> some(p.email(), "profile.email", List.of());
            case "tel" -> some(pageHasPhoneCode ? p.phoneNational() : p.phone(), "profile.phone", List.of());
            case "tel-national" -> some(p.phoneNational(), "profile.phone", List.of());
            case "postal-code" -> some(p.zip(), "profile.location.zip", List.of());
            case "address-level2" -> some(p.city(), "profile.location.city", List.of());
            case "address-level1" -> {
                List<String> n = Places.stateNames(p.state());
                yield n.isEmpty() ? Optional.empty() : Optional.of(Answer.of(n.get(0), "profile.location.state", n));
            }
            case "country", "country-name" -> {
                List<String> n = Places.countryNames(p.country());
                yield n.isEmpty() ? Optional.empty() : Optional.of(Answer.of(n.get(0), "profile.location.country", n));
            }
            case "organization" -> some(p.currentCompany(), "profile.work_history.company", List.of());
            case "organization-title" -> some(p.currentTitle(), "profile.work_history.title", List.of());
            default -> Optional.empty();
        };
    }

    private static final Set<String> NAME_WORDS = Set.of(
            "full",
            "legal",
            "your",
            "name",
            "candidate",
            "applicant",
            "first",
            "and",
            "last",
            "complete",
            "the",
            "please",
            "enter",
            "s",
            "given",
            "family",
            "surname",
            "as",
            "it",
            "appears");

    private static boolean onlyNameWords(String l) {
        for (String w : l.split(" ")) {
            if (!NAME_WORDS.contains(w)) {
                return false;
            }
        }
        return true;
    }
}
