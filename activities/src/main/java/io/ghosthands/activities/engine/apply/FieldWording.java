package io.ghosthands.activities.engine.apply;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How pages word consents, declines, acknowledgements, marketing opt-ins and phone country codes,
 * in the languages application pages are often in: what {@link PageFiller} looks for in a field's
 * label or options.
 */
final class FieldWording {

    private FieldWording() {}

    static final Pattern CONSENT = Pattern.compile(
            "agree|acknowledge|terms|consent|privacy|certify|confirm|authori[sz]e|accept|understand|attest|have read"
                    + "|true and (correct|complete|accurate)|accurate"
                    // the same in the languages application pages are often in (normalized: accents kept)
                    + "|concordo|aceito|acepto|autorizo|consiento|j accepte|accepte|consens|einverstanden|stimme\\w* zu|zustimm\\w*"
                    + "|akzeptier\\w*|accetto|acconsento|ga akkoord|akkoord|zgadzam|godkänner|samtycker|samtykker");
    static final List<String> DECLINE = List.of(
            "Decline to self-identify",
            "I don't wish to answer",
            "I do not wish to answer",
            "Prefer not to say",
            "Prefer not to answer",
            "Decline to answer",
            "I choose not to disclose",
            "decline",
            "prefer not",
            "not wish to",
            "dont wish to",
            "do not want to",
            "not to answer",
            "not to disclose",
            "not to say",
            "rather not",
            "choose not");
    /**
     * Accepting the privacy notice or terms the application is made under ("I have read and accept the
     * privacy policy"): applying means accepting it, marked required or not.
     */
    static final Pattern ACCEPTANCE = Pattern.compile(
            "\\b(have read|read and (understand|accept|agree)|i (hereby )?(agree|accept|acknowledge|consent|understand|confirm))\\b");
    /** What is accepted: the notice or terms the application is made under (before or after "I agree"). */
    static final Pattern ACCEPTED_TEXT = Pattern.compile(
            "\\b(privacy|data protection|terms|conditions|processing|policy|notice|statement|gdpr|lgpd)\\b");
    /** Declines as some pages word them, too short to be looked for inside other options. */
    static final Set<String> TERSE_DECLINES = Set.of(
            "no entry",
            "keine angabe",
            "not specified",
            "no indication",
            "no answer",
            "sans reponse",
            "non precise",
            "n a");
    /** An option that only acknowledges or accepts ("I agree to the terms above", "Select to acknowledge review"). */
    static final Pattern ACKNOWLEDGES =
            Pattern.compile("\\b(i )?(agree|accept|acknowledge|understand|confirm|consent|have read)\\b");

    static final Pattern MARKETING = Pattern.compile(
            "newsletter|marketing|promotional|job alerts?|(job|career|vacanc\\w*) (posting )?(notifications?|alerts?|updates)"
                    + "|receive (new |future )?(job|career)|hear (more )?about (future |other |new )?(career|job|opportunit)"
                    + "|future (job |career )?opportunit|talent (community|pool|network)|text messages|\\bsms\\b"
                    + "|(contact|notify|inform) me (about|of) (other|future|new|similar)|similar (jobs|roles|positions|vacancies)");
    static final Pattern PHONE_CODE =
            Pattern.compile("country (phone )?code|phone (country )?code|dial(l)?ing code|calling code|phone country");
}
