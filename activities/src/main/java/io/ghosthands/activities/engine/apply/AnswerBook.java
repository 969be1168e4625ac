package io.ghosthands.activities.engine.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Knows the answer to a field, or knows that it does not: from the caller's {@code qa_overrides}
 * (fuzzy question match) and the candidate profile. It never makes an answer up; a question it
 * cannot place returns empty. Order: a strong {@code qa_overrides} match, then the profile rules,
 * then a weaker {@code qa_overrides} match.
 */
final class AnswerBook {

  private final CandidateProfile p;
  private final QuestionMatcher qa;
  private PageContext page = PageContext.NONE;

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
  record PageContext(boolean hasCityField, Set<String> currencies, Set<String> countries, Set<String> mentioned,
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
      Set<String> all = new java.util.TreeSet<>(countries);
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
      String mine = amount.contains("$") || amount.toLowerCase(java.util.Locale.ROOT).contains("usd") ? "usd"
          : amount.contains("€") ? "eur" : amount.contains("£") ? "gbp" : "";
      return currencies.isEmpty() || currencies.contains(mine);
    }

    /** The countries a normalized text names (first spelling of each), "USA" / "U.S." included. */
    private static Set<String> countriesNamed(String normalized) {
      Set<String> named = new java.util.TreeSet<>();
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
      boolean city = scan.fields().stream().anyMatch(f -> Text.normalize(f.question()).matches(".*\\b(city|town|zip|postal code|post code)\\b.*"));
      Set<String> found = new java.util.TreeSet<>();
      java.util.regex.Matcher m = CURRENCIES.matcher(scan.text().toLowerCase(java.util.Locale.ROOT));
      while (m.find()) {
        String c = m.group();
        found.add(switch (c) {
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
        if (t.length() <= 100 && (t.contains(",") || t.matches("(?i).*\\b(location|locations|remote|office|based in|hybrid)\\b.*"))) {
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

  /** Sets what the current page says around its fields. */
  void onPage(PageContext context) {
    this.page = context == null ? PageContext.NONE : context;
  }

  AnswerBook(CandidateProfile profile, QuestionMatcher qa) {
    this.p = profile;
    this.qa = qa;
  }

  /** Questions about another person (an emergency contact, a referee…) are never the candidate's. */
  private static final Pattern OTHER_PERSON = Pattern.compile(
      "\\b(emergency|reference|referee|referr\\w*|referring|manager|supervisor|spouse|parent|guardian|recruiter|hiring"
          + "|contact person|next of kin|relative)\\b");
  private static final Pattern DEMOGRAPHIC = Pattern.compile(
      "\\b(gender|sex|race|racial|ethnicity|ethnic|hispanic|latin[oax]|veteran|disability|disabled|sexual orientation"
          + "|transgender|lgbt\\w*|pronouns?|self identif\\w*|voluntary self|demographic|eeo|equal employment"
          + "|military (status|service|spouse)|protected veteran)\\b");
  /**
   * A question about the legal right to work. "Able to work" alone is not one: "are you able to work
   * from our office three days a week" asks about attendance.
   */
  static final String WORK_AUTH = "(authori[sz]ed|eligible|permitted|entitled|legally (able|allowed)|lawfully able|allowed)"
      + " to (work|be employed|accept employment|take up employment)"
      + "|right to work|work (authori[sz]ation|permit|eligibility|visa)|employment (authori[sz]ation|eligibility)"
      + "|authori[sz]ation to work|legally (able|allowed|authori[sz]ed)|eligib\\w* (to|for) (work|employment)";
  /** Wording that makes a question about where, when or how one works, not whether one may. */
  static final String NOT_AUTHORIZATION = "\\b(office|on ?site|in person|in the office|hybrid|commut\\w*|relocat\\w*|travel\\w*"
      + "|days (a|per|each) week|shifts?|weekends?|nights?|overtime|hours|schedule|remote\\w*|part time|full time"
      + "|background check|drug (test|screen)|physical)\\b";

  private static final Pattern QUESTION_START = Pattern.compile(
      "^(are|do|does|did|will|would|have|has|can|could|is|were|was|may|should|if)\\b");

  /** Whether the caller declined the self-identification question {@code text} is about. */
  boolean declinesTopicOf(String text) {
    return qa.declinesTopicOf(text);
  }

  /** Whether an option or answer says "I decline to answer", as forms word it. */
  static boolean isDecline(String text) {
    return DECLINES.matcher(Text.normalize(text)).find();
  }

  /** Whether the field asks for demographic / EEO data (left alone unless the caller answered it). */
  static boolean demographic(FormField f) {
    return DEMOGRAPHIC.matcher(Text.normalize(f.question() + " " + f.section())).find();
  }

  /** The profile items the engine gave the page's repeated entries, by part ("work", "education"), by entry. */
  private Map<String, List<Map<String, Object>>> entries = Map.of();

  /**
   * Which profile item each entry of a repeated part answers for (by part, by entry index; an empty
   * map for an entry the profile has nothing for). Parts not given here take the profile's items in
   * order ({@link CandidateProfile#jobs()}, {@link CandidateProfile#schools()}).
   */
  void entries(Map<String, List<Map<String, Object>>> byPart) {
    this.entries = byPart == null ? Map.of() : byPart;
  }

  /** The profile item the entry holding {@code f} answers for; empty when none (or unclear). */
  Map<String, Object> itemOf(FormField f) {
    List<Map<String, Object>> items = entries.containsKey(f.context()) ? entries.get(f.context())
        : f.context().equals("work") ? p.jobs() : p.schools();
    return f.entry() >= 0 && f.entry() < items.size() ? items.get(f.entry()) : Map.of();
  }

  Optional<Answer> answer(FormField f, boolean pageHasPhoneCode) {
    if ((f.context().equals("work") || f.context().equals("education")) && !p.isEntry()) {
      // a field of a work-history or education entry answers from that entry's job or school only
      AnswerBook entry = new AnswerBook(p.forEntry(f.context(), itemOf(f)), qa);
      entry.page = page;
      return entry.answer(f, pageHasPhoneCode);
    }
    String q = f.question();
    Optional<Answer> here = alreadyThere(f);
    if (here.isPresent()) {
      return here;
    }
    Optional<QuestionMatcher.Match> m = qa.find(q);
    if (m.isPresent() && m.get().strong()) {
      return Optional.of(fromQa(m.get()));
    }
    if (demographic(f)) {
      return m.map(this::fromQa);
    }
    Optional<Answer> fromProfile = fromProfile(f, pageHasPhoneCode).filter(a -> !a.value().isBlank());
    if (fromProfile.isPresent()) {
      return fromProfile;
    }
    return m.map(this::fromQa);
  }

  /**
   * "Are you willing to relocate?" with an option "I'm already located where the position is based":
   * that option, when the job's pages name one metro area and it is the candidate's.
   */
  private Optional<Answer> alreadyThere(FormField f) {
    if (f.options().isEmpty() || QuestionMatcher.Intent.of(Text.normalize(f.question())) != QuestionMatcher.Intent.RELOCATION) {
      return Optional.empty();
    }
    Optional<FormField.Option> already = f.options().stream()
        .filter(o -> has(Text.normalize(o.text()), "\\balready (located|based|live|living|reside|residing|in)\\b|\\b(i )?(currently )?(live|am located|am based) (in|near) (the )?(area|city|region)")).findFirst();
    Optional<Metros.Metro> home = Metros.of(p.city());
    if (already.isEmpty() || home.isEmpty() || page.metros().isEmpty()) {
      return Optional.empty();
    }
    boolean mine = page.metros().stream().allMatch(m -> Metros.km(home.get(), m) <= Metros.SAME_KM);
    return mine ? Optional.of(Answer.of(already.get().text(), "profile.location")) : Optional.empty();
  }

  /**
   * For one box of a checkbox group: yes when the caller's answer to the group's question names
   * this box ("Design Systems, Research"), no when it names others; empty when not answered.
   */
  Optional<Answer> groupAnswer(FormField box) {
    if (box.section().isBlank()) {
      return Optional.empty();
    }
    return qa.find(box.section()).map(m -> {
      String option = Text.normalize(box.question());
      if (DECLINES.matcher(Text.normalize(m.answer())).find()) {
        // a decline ticks the group's own "prefer not to answer" box, and nothing else
        return Answer.yesNo(DECLINES.matcher(option).find(), "qa_overrides", List.of());
      }
      boolean named = false;
      for (String part : m.answer().split("[,;|\\n]")) {
        String p = Text.normalize(part);
        if (!p.isEmpty() && (p.equals(option) || Text.containsWords(option, p) || Text.containsWords(p, option))) {
          named = true;
        }
      }
      return Answer.yesNo(named, "qa_overrides", List.of());
    });
  }

  /** An answer that declines to answer ("Decline to self-identify"), in the ways forms word it. */
  private static final Pattern DECLINES = Pattern.compile(
      "\\b(decline|prefer not|not wish|dont wish|do not wish|dont want|do not want|rather not|choose not|not to (say|answer|disclose)"
          + "|keine angabe)\\b");
  static final List<String> DECLINE_SPELLINGS = List.of(
      "Decline to self-identify", "Decline To Self Identify", "I don't wish to answer", "I do not wish to answer",
      "I don't want to answer", "I do not want to answer", "Prefer not to say", "Prefer not to answer",
      "Decline to answer", "I choose not to disclose", "I prefer not to answer", "Decline to state");

  private Answer fromQa(QuestionMatcher.Match m) {
    String v = m.answer();
    String n = Text.normalize(v);
    if (DECLINES.matcher(n).find()) {
      List<String> spellings = new ArrayList<>(List.of(v));
      spellings.addAll(DECLINE_SPELLINGS);
      return new Answer(v, Text.distinct(spellings), "qa_overrides");
    }
    if (n.matches("yes|y|true")) {
      return Answer.yesNo(true, "qa_overrides", List.of(v));
    }
    if (n.matches("no|n|false")) {
      return Answer.yesNo(false, "qa_overrides", List.of(v));
    }
    return Answer.of(v, "qa_overrides");
  }

  private static boolean has(String l, String regex) {
    return Pattern.compile(regex).matcher(l).find();
  }

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
    if (has(l, "^(if (yes|no|so|not|other|applicable|you (answered|selected|chose|checked))|please (specify|explain|elaborate|describe"
        + "|provide (more )?details)|why\\b|how come|describe|explain|tell us)")) {
      return Optional.empty();
    }
    if (f.context().equals("work")) {
      Optional<Answer> job = workEntry(Text.normalize(f.section() + " " + q), f);
      if (job != null) {
        return job;
      }
    }
    if (f.context().equals("education")) {
      // a date split into parts names the part ("Year"), its group says which date ("To (Actual or Expected)")
      Optional<Answer> school = education(has(l, "^(month|year|day|mm|yyyy|dd)$") ? Text.normalize(f.section() + " " + q) : l);
      if (school != null) {
        return school;
      }
    }
    boolean question = q.trim().endsWith("?") || QUESTION_START.matcher(l).find();
    int words = l.split(" ").length;
    boolean text = f.kind().equals("text") || f.kind().equals("combo");
    // A long question that mentions "school" or "city" in passing ("…a project from school, an
    // internship or a job…") is not asking for the school: profile fields answer short labels only.
    boolean shortLabel = words <= 12;

    // a citizen of the country is on no visa: "Do you have temporary authorization (OPT, CPT…)?" is no,
    // "If you are in a period of OPT, are you eligible for the extension?" does not apply
    Optional<Answer> visa = visaStatus(l);
    if (visa != null) {
      return visa;
    }
    boolean authQuestion = has(l, "sponsor") || has(l, WORK_AUTH) && !has(l, NOT_AUTHORIZATION)
        || has(l, "\\b(visa|visas|work permits?)\\b") && has(l, "\\b(need|require|requir\\w+|assist\\w*)\\b");
    if (authQuestion && !authorizationPlaceIsMine(l)) {
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
      if (question || f.kind().equals("checkbox") || f.kind().equals("radio") || f.kind().equals("choice")) {
        Boolean ok = p.authorized();
        if (ok == null || namesOtherCountry(l)) {
          return Optional.empty();
        }
        return Optional.of(Answer.yesNo(ok, "profile.work_authorization", List.of(p.workAuthorization())));
      }
      Boolean ok = p.authorized();
      List<String> more = new ArrayList<>();
      if (ok != null && !namesOtherCountry(l)) {
        more.add(ok ? "Yes" : "No");
      }
      return some(p.workAuthorization(), "profile.work_authorization", more);
    }
    // "Do you have over 3 years of professional software engineering experience?": the candidate's years
    java.util.regex.Matcher atLeast = Pattern.compile("\\b(have|with|possess)\\b.{0,20}?\\b(at least |over |more than |a minimum of |minimum )?"
        + "(\\d+|one|two|three|four|five|six|seven|eight|nine|ten)\\+? (or more )?(years?|yrs)\\b(.*)$").matcher(l);
    if (!text && atLeast.find() && has(atLeast.group(6), "\\bexperience\\b")) {
      Optional<Answer> years = yearsAtLeast(atLeast);
      if (years != null) {
        return years;
      }
    }
    var qualified = Pattern.compile("\\b(years?|yrs) (of )?((\\w+ ){1,3})experience").matcher(l);
    if (qualified.find() && !qualified.group(3).replaceFirst("^of ", "").isBlank() && !qualified.group(3).replaceFirst("^of ", "").trim().matches(
        "((professional|relevant|total|overall|work|working|industry|paid|full time|post graduate|related|the)\\s*)+")
        && !inOwnTrade(qualified.group(3).replaceFirst("^of ", ""))) {
      return Optional.empty(); // years of *people management* experience are not the candidate's total years
    }
    if (has(l, "\\b(years?|yrs) (of )?(\\w+ ){0,2}experience|how many years|experience years|total experience|\\byoe\\b")) {
      // years with one technology are not the candidate's total years
      var specific = Pattern.compile("experience (with|in|using|on|of|doing|working) (\\w+)").matcher(l);
      if (specific.find() && !specific.group(2).matches("total|industry|the|professional|software|this|similar|related")) {
        return Optional.empty();
      }
      return some(p.yearsOfExperience(), "profile.years_of_experience", List.of());
    }
    if (has(l, "salary|compensation|pay (expectation|requirement|range)|(expected|desired|target) (pay|base|annual|total|rate)"
        + "|remuneration|rate expectation")
        // the profile holds what the candidate expects, per year, in its own currency: not their
        // current or lowest pay, not an hourly or monthly rate, not an amount in another currency
        && !has(l, "\\b(current|currently|present|previous|last|minimum|lowest|least|hourly|per hour|an hour|daily|per day"
            + "|monthly|per month|a month|weekly|per week)\\b")
        && !otherCurrency(q.toLowerCase(java.util.Locale.ROOT), p.salary())
        // no currency in the question: the page's own (a job paid in pounds is not answered in dollars)
        && (CURRENCIES.matcher(q.toLowerCase(java.util.Locale.ROOT)).find()
            || (page.currencies().isEmpty() ? !page.jobElsewhere(myCountryNames()) : page.currencyAgrees(p.salary())))) {
      String s = p.salary();
      if (s.isEmpty()) {
        return Optional.empty();
      }
      if (!text && f.options().stream().anyMatch(o -> Text.normalize(o.text()).matches(".*\\b(year|yearly|annual|annually|annum)\\b.*"))) {
        // the period beside the amount ("Hourly / Yearly"): the profile's amount is a year's
        return Optional.of(Answer.of("Yearly", "profile.salary_expectation",
            List.of("Annually", "Annual", "Per year", "Per annum", "Year", "Annual salary")));
      }
      if (f.type().equals("number")) {
        s = digitsOfAmount(s);
      }
      return some(s, "profile.salary_expectation", List.of());
    }
    if (!text && !f.kind().equals("checkbox") && has(l, "text messages?|\\bsms\\b|newsletter|marketing (messages|emails|communications)")
        && has(l, "consent|agree|receive|opt|subscribe|would you like")) {
      // whether to be sent texts or marketing: nobody asked for them, so no
      return Optional.of(Answer.of("No", "privacy", List.of("No, I do not consent", "I do not consent", "Do not consent",
          "No thanks", "Opt out")));
    }
    if (has(l, "country( region)? (phone )?code|phone (country )?code|dial(l)?ing code|calling code|phone country|country prefix")) {
      String code = p.phoneCountryCode();
      if (code.isEmpty()) {
        return Optional.empty();
      }
      List<String> more = new ArrayList<>();
      for (String name : Places.countryNames(p.country().isEmpty() && code.equals("+1") ? "United States" : p.country())) {
        more.add(name + " (" + code + ")");
        more.add(name);
      }
      more.add(code.substring(1));
      List<String> spellings = new ArrayList<>(more);
      if (!f.kind().equals("text")) {
        // a dropdown or a searchable picker lists countries; the bare code matches many of them
        return Optional.of(new Answer(more.isEmpty() ? code : more.get(0), Text.distinct(spellings), "profile.phone"));
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
      return Optional.of(Text.normalize(type).matches("mobile|cell|cellular|mobile phone|cell phone")
          ? Answer.of("Mobile", "profile.phone_type", List.of("Cell", "Mobile phone", "Cell phone", "Cellular"))
          : Answer.of(type, "profile.phone_type"));
    }
    if (has(l, "\\b(phone|mobile|cell|cellphone|telephone|tel)\\b") || f.type().equals("tel")) {
      return some(pageHasPhoneCode ? p.phoneNational() : p.phone(), "profile.phone", List.of());
    }
    if (has(l, "\\be ?mail\\b") || f.type().equals("email")) {
      return some(p.email(), "profile.email", List.of());
    }
    boolean aboutALink = words <= 6 || has(l, "\\b(url|urls|profile|link|links|handle|username|account|page|address)\\b");
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
    if (text && has(l, "\\bportfolio\\b") && has(l, "\\b(link|url|provide|share|website|submit)\\b")
        && !has(l, "\\b(other|additional)\\b|^(\\w+ ){0,3}(password|passcode)\\b")) {
      return some(p.portfolio(), "profile.portfolio_url", List.of());
    }
    // "Confirm the name of the company where you work"
    if (text && has(l, "\\bcompany (where|that|which|for which|at which) you (currently )?work|\\bcompany you (currently )?work (for|at)"
        + "|name of your (current )?(employer|company)")) {
      return some(p.currentCompany(), "profile.work_history.company", List.of());
    }
    // "What is your core technical stack?"
    if (text && has(l, "\\btech(nical|nology)? stack\\b|\\b(technologies|tools|programming languages) (do you|you) (use|know|work with)")) {
      List<String> sk = p.skills();
      return sk.isEmpty() ? Optional.empty() : Optional.of(Answer.of(String.join(", ", sk), "profile.skills"));
    }
    // "Please select the country you hold citizenship in"
    if (has(l, "\\bcitizenship\\b|\\bcitizen of\\b|\\bnationality\\b") && has(l, "\\b(country|countries|which|what|select|nationality)\\b")
        && !has(l, "\\b(dual|other|second|additional|previous|former)\\b") && !has(l, "^(are|do|have|is|were) you\\b")
        && f.options().stream().noneMatch(o -> Text.normalize(o.text()).matches("yes|no"))) {
      String c = p.citizenship();
      if (!c.isEmpty()) {
        List<String> names = Places.countryNames(c);
        return Optional.of(Answer.of(names.get(0), "profile.work_authorization", names));
      }
    }
    // where the candidate lives, asked as a question of any length
    if (has(l, "\\b(which|what) (us |u s )?(state|province) (will|do|are) you (be )?(currently |now )?(live|living|reside|residing"
        + "|work|working|be working|based|located)\\b") && !has(l, "\\b(willing|prefer\\w*|relocat\\w*|office|commut\\w*)\\b")) {
      List<String> names = Places.stateNames(p.state());
      if (!names.isEmpty()) {
        return Optional.of(Answer.of(names.get(0), "profile.location.state", names));
      }
    }
    Optional<Answer> livesThere = livesIn(l, f);
    if (livesThere.isPresent()) {
      return livesThere;
    }
    Optional<Answer> area = whichArea(l, f);
    if (area.isPresent()) {
      return area;
    }
    if (has(l, "\\bother\\b") || !shortLabel) {
      return Optional.empty(); // "Other website": the profile's links have their own fields
    }
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
    if (has(l, "address line 2|address 2|apartment|\\bsuite\\b|\\bapt\\b")) {
      return Optional.empty();
    }
    if (has(l, "address line 1|address 1|street|^address$|home address|mailing address|residential address"
        + "|^(legal|permanent|current|postal) address$")) {
      if (!page.hasCityField() && !has(l, "line 1|address 1|street")) {
        // one box for the whole address: the street alone would be half an answer
        String full = p.fullAddress();
        return some(full, "profile.location", List.of(p.address()));
      }
      return some(p.address(), "profile.address", List.of());
    }
    if (has(l, "\\bcity\\b") && has(l, "\\b(state|province|region)\\b")) {
      return location(has(l, "\\bcountry\\b"));
    }
    if (has(l, "^location$|current location|^your location|^what is your (current )?(work )?location$|where are you (currently )?(located|based)|city of residence"
        + "|where (do|will|would) you (plan (on|to) |intend to |expect to )?(be )?(work|working|based|located) from"
        + "|place of residence|based in|home location|location city|current city|^residence$|where do you live")
        && !has(l, "preferred|desired|office|willing|relocat|open to|travel")) {
      return location(has(l, "\\bcountry\\b"));
    }
    if (has(l, "\\b(city|town)\\b") && (words <= 6 || has(l, "(city|town) (do you|you) (currently )?(live|reside)|(city|town) of residence"))
        && !has(l, "\\b(birth|born)\\b")) {
      return some(p.city(), "profile.location.city", List.of());
    }
    if (has(l, "\\b(state|province|region|county)\\b") && !has(l, "\\b(birth|born|country)\\b")
        && (words <= 6 || has(l, "(state|province) (do you|you) (currently |permanently )?(live|reside)|(state|province) of residence"
            + "|(state|province) will you be (living|working|based|located|residing)"))) {
      List<String> names = Places.stateNames(p.state());
      return names.isEmpty() ? Optional.empty() : Optional.of(Answer.of(names.get(0), "profile.location.state", names));
    }
    if (has(l, "\\bcountry\\b") && (words <= 6 || has(l, "country (of|for) residence|country (do you|you) (currently )?(live|reside)"))
        // "country of birth", "of the home institution": not where the candidate lives
        && (!has(l, "\\bcountry (of|for) ") || has(l, "\\bcountry (of|for) (residence|living|your residence)"))
        && !has(l, "\\b(birth|born|citizenship|nationality|passport)\\b")) {
      List<String> names = Places.countryNames(p.country());
      return names.isEmpty() ? Optional.empty() : Optional.of(Answer.of(names.get(0), "profile.location.country", names));
    }
    if (has(l, "\\bzip\\b|postal|post ?code|postcode")) {
      return some(p.zip(), "profile.location.zip", List.of());
    }
    if (has(l, "field of study|\\bmajor\\b|discipline|area of study|concentration|course of study|speciali[sz]ation")) {
      return some(p.fieldOfStudy(), "profile.education.field", List.of());
    }
    if (has(l, "graduat|grad year|year of completion|completion (year|date)")
        || has(l, "\\b(education|school|degree|university|college)\\b") && has(l, "\\bend (date )?year\\b|\\bto year\\b|\\byear (ended|finished)\\b")) {
      return some(p.graduationYear(), "profile.education.graduation_year", List.of());
    }
    if (has(l, "high school")) {
      return Optional.empty();
    }
    if (has(l, "school|university|college|alma mater") || has(l, "institution") && has(l, "educat|stud(y|ied)|degree|attend")) {
      return some(p.school(), "profile.education.institution", List.of());
    }
    if (has(l, "\\bdegree\\b|education level|level of education|highest (level of )?(education|qualification)|^education$")) {
      String d = p.degree();
      return d.isEmpty() ? Optional.empty() : Optional.of(Answer.of(d, "profile.education.degree", degreeSpellings(d)));
    }
    if (has(l, "(current|most recent|present|latest) (job )?(title|role|position)|job title|^title$|position title")) {
      return some(p.currentTitle(), "profile.work_history.title", List.of());
    }
    if (has(l, "(current|most recent|present|latest) (company|employer|organi[sz]ation)|^(company|employer)( name)?$"
        + "|^current employer$|^organi[sz]ation$")) {
      return some(p.currentCompany(), "profile.work_history.company", List.of());
    }
    if (has(l, "\\bskills?\\b") && (text || f.tag().equals("textarea"))) {
      List<String> s = p.skills();
      return s.isEmpty() ? Optional.empty() : Optional.of(Answer.of(String.join(", ", s), "profile.skills"));
    }
    return Optional.empty();
  }

  /**
   * A field of a work-history entry (the first, most recent one: the current job): whether it is
   * held now, its start and end as month and year; its location and description are not in the
   * profile. Null when the label is none of these (title and company are read as usual).
   */
  private Optional<Answer> workEntry(String l, FormField f) {
    if (has(l, "\\b(currently work|currently (employed|working)|current (job|role|position|employer)|still (work|employed))\\b")
        && f.kind().equals("checkbox")) {
      return p.currentJob().isEmpty() ? Optional.empty()
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
      return v.isEmpty() ? Optional.empty() : Optional.of(Answer.of(v, "profile.work_history." + (start ? "start_date" : "end_date"),
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
  private Optional<Answer> education(String l) {
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
    if (citizen.isEmpty() || namesOtherCountry(l) || !Places.countryNames(citizen).stream().map(Text::normalize)
        .anyMatch(myCountryNames()::contains) || page.jobElsewhere(myCountryNames())) {
      // which permit someone holds is not the general right to work: a green card is not a "temporary
      // authorization", though both may work
      return Optional.empty();
    }
    if (has(l, "^if (you are|you re|you have|currently|you hold)\\b")) {
      return Optional.of(Answer.of("N/A", "profile.work_authorization", List.of("Not Applicable", "Not applicable", "NA",
          "Does not apply", "I am not on OPT")));
    }
    if (has(l, "^(do|are|have|will) you\\b")) {
      return Optional.of(Answer.yesNo(false, "profile.work_authorization", List.of()));
    }
    return null;
  }

  private static final List<String> NUMBER_WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
      "eight", "nine", "ten");

  /**
   * Yes when the candidate's years of experience reach the number asked, no when they fall short;
   * null when the experience asked is of something in particular not the candidate's own trade.
   */
  private Optional<Answer> yearsAtLeast(java.util.regex.Matcher m) {
    String after = m.group(6).replaceFirst("^\\s*(of )?", "");
    String kind = after.replaceFirst("\\bexperience\\b.*$", "").trim();
    Set<String> generic = Set.of("professional", "relevant", "total", "overall", "work", "working", "industry", "paid", "full",
        "time", "post", "graduate", "related", "the", "hands", "on", "in", "of", "over", "proven");
    boolean own = Text.words(kind).stream().allMatch(generic::contains) || inOwnTrade(kind);
    // "years of experience with Kubernetes" is experience of one thing
    java.util.regex.Matcher with = Pattern.compile("\\bexperience (with|in|using|on|of|doing|as|working (with|on|in)) (an? |the )?(.+)$")
        .matcher(after);
    if (with.find() && !inOwnTrade(with.group(4)) && !with.group(4).matches("(this|a similar|similar|the same|our) (role|field|industry|position).*")) {
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

  private static final Pattern LIVES_IN = Pattern.compile(
      "^(do|are) you (currently |presently |now )?(live|living|reside|residing|located|based|situated) in (the )?(.+?)"
          + "( area| region| metro area| metropolitan area| bay area)?$");

  /**
   * "Do you live in the Los Angeles area?", "Are you currently based in the San Francisco Bay Area?":
   * yes when the place is the candidate's city (or exactly their state or country), no when it is
   * another country or state; another city is not answered (it may be next door).
   */
  private Optional<Answer> livesIn(String l, FormField f) {
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
    java.util.regex.Matcher m = LIVES_IN.matcher(l);
    if (!m.matches() || has(l, "\\bwithin\\b|\\bmiles?\\b|\\bkm\\b|\\bnear\\b|\\bcommut|\\bwilling\\b|\\brelocat|\\bopen to\\b|\\btravel")) {
      return Optional.empty();
    }
    String place = m.group(5).trim();
    String city = Text.normalize(p.city());
    if (Text.containsWords(place + " " + (m.group(6) == null ? "" : m.group(6)), city)) {
      return Optional.of(Answer.yesNo(true, "profile.location", List.of()));
    }
    List<String> states = Places.stateNames(p.state()).stream().map(Text::normalize).toList();
    List<String> countries = myCountryNames();
    if (states.contains(place) || countries.contains(place)) {
      return Optional.of(Answer.yesNo(true, "profile.location", List.of()));
    }
    boolean otherCountry = Places.knownCountries().stream().anyMatch(names -> names.contains(place)) && !countries.contains(place);
    boolean otherState = !Places.stateNames(place).isEmpty() && Places.stateNames(place).size() > 1 && !states.contains(place);
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
    if (!has(l, "\\b(live|living|reside|residing|located|based) (in|within) (this|that|these|those|one of (these|those|the above))"
        + " (location|locations|area|areas|country|countries|region|regions|place|places)\\b")) {
      return null;
    }
    List<String> mine = myCountryNames();
    boolean mineNamed = namesMyCountry(l);
    boolean otherNamed = namesOtherCountry(l);
    if (mineNamed) {
      return Optional.of(Answer.yesNo(true, "profile.location", List.of()));
    }
    return otherNamed && !mine.isEmpty() ? Optional.of(Answer.yesNo(false, "profile.location", List.of())) : Optional.empty();
  }

  private static final Pattern WITHIN = Pattern.compile(
      "\\bwithin (about |around |approximately |approx |roughly )?(\\d+) ?(miles?|mi|km|kilomet(er|re)s?) (of|from) (.+)$");

  /**
   * "Are you located within ~50 miles of Seattle, WA; Boston, MA or Austin, TX?": yes when the
   * candidate's city is well inside that distance of one of them, no when it is well outside all of
   * them; null when the question is not of this kind, empty when it is too close to call.
   */
  private Optional<Answer> withinDistance(String l, String raw) {
    java.util.regex.Matcher m = WITHIN.matcher(l);
    if (!m.find() || !has(l, "\\b(live|living|reside|residing|located|based|situated|are you)\\b")
        || has(l, "\\b(willing|able to|open to|relocat\\w*|commut\\w*|travel\\w*)\\b")) {
      return null;
    }
    double radius = Double.parseDouble(m.group(2)) * (m.group(3).startsWith("k") ? 1 : 1.609);
    String rest = raw.substring(Math.max(0, raw.toLowerCase(java.util.Locale.ROOT).indexOf(" of ") + 1));
    List<Metros.Metro> named = Metros.named(rest);
    Optional<Metros.Metro> home = Metros.of(p.city());
    if (named.isEmpty() || home.isEmpty()) {
      return Optional.empty();
    }
    double nearest = named.stream().mapToDouble(x -> Metros.km(home.get(), x)).min().orElse(Double.MAX_VALUE);
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
  private Optional<Answer> whichArea(String l, FormField f) {
    if (f.options().isEmpty() || !WHICH_AREA.matcher(l).find() || has(l, "\\b(willing|prefer\\w*|relocat\\w*|office|commut\\w*)\\b")) {
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

  /** Whether "years of X experience" names the candidate's own trade (X in their current title). */
  private boolean inOwnTrade(String qualifier) {
    Set<String> title = Text.words(p.currentTitle());
    Set<String> asked = Text.words(qualifier);
    asked.removeAll(Set.of("professional", "relevant", "total", "overall", "work", "industry", "related"));
    return !asked.isEmpty() && title.containsAll(asked);
  }

  /**
   * Whether a right-to-work or sponsorship question is about the candidate's own country: it names
   * it, or asks where they live now; or it names none, and the job is there ("the country in which
   * the job is located", or a question naming no place at all) as far as the job's pages say. A
   * question naming another country, or the job's place when the pages say another or nothing, is not.
   */
  private boolean authorizationPlaceIsMine(String l) {
    if (namesOtherCountry(l)) {
      return false;
    }
    if (namesMyCountry(l) || has(l, "current (location|country)|where you (currently )?(live|reside|are based)|your country")) {
      return true;
    }
    List<String> mine = myCountryNames();
    return refersToJobPlace(l) ? page.jobIn(mine) : !page.jobElsewhere(mine);
  }

  /** "This country", "the area where this job is located": a place the question does not name. */
  private static boolean refersToJobPlace(String l) {
    return has(l, "\\b(this|that|the) (country|area|region|location)\\b|where (this|the) (job|role|position) is"
        + "|job is located|(role|position) is (based|located)|country (of|where) (employment|the job)");
  }

  static final Pattern CURRENCIES = Pattern.compile(
      "\\b(usd|us dollars?|eur|euros?|gbp|pounds?|inr|rupees?|pln|zloty|chf|francs?|sek|nok|dkk|krona|krone|cad|aud"
          + "|jpy|yen|brl|reais|mxn|pesos?|zar|ils|shekels?|aed|dirhams?|czk|huf|lira)\\b|[€£¥₹₽₪]");

  /** Whether the question asks for an amount in a currency other than the one the profile's amount is in. */
  static boolean otherCurrency(String normalizedLabel, String amount) {
    java.util.regex.Matcher m = CURRENCIES.matcher(normalizedLabel);
    if (!m.find()) {
      return false;
    }
    String asked = m.group().replaceAll("s$", "");
    String mine = amount.contains("$") || amount.toLowerCase().contains("usd") ? "usd" : amount.contains("€") ? "eur"
        : amount.contains("£") ? "gbp" : "";
    boolean dollars = asked.matches("usd|us dollar");
    return mine.isEmpty() || !(dollars && mine.equals("usd") || asked.matches("eur|euro") && mine.equals("eur")
        || asked.matches("gbp|pound") && mine.equals("gbp"));
  }

  private Optional<Answer> byAutocomplete(String ac, boolean pageHasPhoneCode) {
    String token = ac.replaceAll("^(section-\\S+\\s+)?(shipping\\s+|billing\\s+)?(home\\s+|work\\s+|mobile\\s+)?", "").trim();
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

  private Optional<Answer> location(boolean withCountry) {
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

  private static final Set<String> NAME_WORDS = Set.of(
      "full", "legal", "your", "name", "candidate", "applicant", "first", "and", "last", "complete", "the", "please",
      "enter", "s", "given", "family", "surname", "as", "it", "appears");

  private static boolean onlyNameWords(String l) {
    for (String w : l.split(" ")) {
      if (!NAME_WORDS.contains(w)) {
        return false;
      }
    }
    return true;
  }

  /** The candidate's country, normalized, in its known spellings (the United States when unsaid). */
  private List<String> myCountryNames() {
    List<String> mine = Places.countryNames(p.country().isEmpty() ? "United States" : p.country()).stream()
        .map(Text::normalize).toList();
    return Places.knownCountries().stream().filter(names -> names.stream().anyMatch(mine::contains))
        .findFirst().orElse(mine);
  }

  private boolean namesMyCountry(String l) {
    List<String> mine = myCountryNames();
    return mine.stream().anyMatch(n -> n.length() > 3 && Text.containsWords(l, n))
        || mine.contains("united states") && l.matches(".*\\b(usa|u s a|u s|america|american|the us)\\b.*");
  }

  private boolean namesOtherCountry(String l) {
    List<String> mine = Places.countryNames(p.country()).stream().map(Text::normalize).toList();
    for (List<String> names : Places.knownCountries()) {
      boolean named = names.stream().anyMatch(n -> Text.containsWords(l, n));
      if (named) {
        boolean isMine = mine.isEmpty() ? names.contains("united states") : names.stream().anyMatch(mine::contains);
        if (!isMine) {
          return true;
        }
      }
    }
    return false;
  }

  static List<String> degreeSpellings(String degree) {
    String d = Text.normalize(degree);
    List<String> out = new ArrayList<>();
    if (has(d, "doctor|\\bph ?d\\b|dphil|\\bdoctoral\\b")) {
      out.addAll(List.of("Doctorate", "Doctoral Degree", "PhD", "Ph.D.", "Doctor"));
    } else if (has(d, "master|\\bmba\\b|\\bms\\b|\\bma\\b|\\bmsc\\b|\\bm s\\b|\\bm a\\b|\\bmeng\\b|\\bmfa\\b|\\bmph\\b")) {
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

  private static String digitsOfAmount(String s) {
    String n = s.toLowerCase().replace(",", "");
    var m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(k)?").matcher(n);
    if (!m.find()) {
      return "";
    }
    double v = Double.parseDouble(m.group(1)) * (m.group(2) != null ? 1000 : 1);
    return String.valueOf((long) v);
  }

  private static Optional<Answer> some(String value, String source, List<String> more) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(Answer.of(value, source, more));
  }
}
