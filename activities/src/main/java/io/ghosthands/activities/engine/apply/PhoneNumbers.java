package io.ghosthands.activities.engine.apply;

/** A candidate's phone number as forms ask for it: its country code, or the number without it. */
final class PhoneNumbers {

    private PhoneNumbers() {}

    /** The dialling code ("+1") from a "+…" phone number or the country, or "". */
    static String countryCode(String phone, String country) {
        String p = phone.replaceAll("[^0-9+]", "");
        String byCountry = Places.callingCode(country);
        if (p.startsWith("+")) {
            if (!byCountry.isEmpty() && p.startsWith(byCountry)) {
                return byCountry;
            }
            String known = Places.callingCodeOfNumber(p);
            if (!known.isEmpty()) {
                return known;
            }
        }
        return byCountry;
    }

    /** The phone without its country code, for forms with a separate country-code field. */
    static String national(String phone, String code) {
        String raw = phone.trim();
        String compact = raw.replaceAll("[^0-9+]", "");
        if (!code.isEmpty() && compact.startsWith(code)) {
            // drop the code, keep the remaining digits as written (spaces/dashes after it)
            int digitsToDrop = code.length() - 1;
            int i = raw.indexOf('+') + 1;
            while (i < raw.length() && digitsToDrop > 0) {
                if (Character.isDigit(raw.charAt(i))) {
                    digitsToDrop--;
                }
                i++;
            }
            return raw.substring(i).replaceAll("^[\\s.\\-)]+", "").trim();
        }
        if (code.equals("+1") && compact.length() == 11 && compact.startsWith("1")) {
            return compact.substring(1);
        }
        return raw;
    }
}
