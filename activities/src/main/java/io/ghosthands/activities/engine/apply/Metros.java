package io.ghosthands.activities.engine.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the large metro areas are, so that "Do you live in the Greater Boston area?" or "Are you
 * within 50 miles of Seattle, WA or Austin, TX?" can be answered from the candidate's city: yes when
 * it is in that metro area, no when it is far away, nothing in between (a suburb next door is not
 * for a table to decide). Coordinates are city centres, to a tenth of a degree.
 */
final class Metros {

    private Metros() {}

    /** A metro area: its names (the first is the usual one), and where its centre is. */
    record Metro(List<String> names, double lat, double lon) {
        String name() {
            return names.get(0);
        }
    }

    /** The same metro area, for certain: the city centres are this close. */
    static final double SAME_KM = 40;
    /** Not the same metro area, for certain: a commute nobody makes every day. */
    static final double FAR_KM = 150;

    private static final List<Metro> ALL = new ArrayList<>();

    private static void add(double lat, double lon, String... names) {
        List<String> n = new ArrayList<>();
        for (String s : names) {
            n.add(Text.normalize(s));
        }
        ALL.add(new Metro(List.copyOf(n), lat, lon));
    }

    static {
        // United States
        add(37.8, -122.4, "San Francisco", "SF", "San Francisco Bay Area", "SF Bay Area", "Bay Area", "Oakland");
        add(
                37.3,
                -121.9,
                "San Jose",
                "Silicon Valley",
                "Santa Clara",
                "Sunnyvale",
                "Mountain View",
                "Palo Alto",
                "Cupertino");
        add(
                34.05,
                -118.25,
                "Los Angeles",
                "Greater Los Angeles",
                "Santa Monica",
                "Pasadena",
                "Long Beach",
                "Burbank",
                "Irvine",
                "Orange County");
        add(32.7, -117.2, "San Diego");
        add(38.6, -121.5, "Sacramento");
        add(47.6, -122.3, "Seattle", "Bellevue", "Redmond", "Tacoma");
        add(45.5, -122.7, "Portland, OR", "Portland Oregon");
        add(49.3, -123.1, "Vancouver", "Vancouver BC");
        add(
                40.7,
                -74.0,
                "New York",
                "New York City",
                "NYC",
                "NY Metro",
                "Manhattan",
                "Brooklyn",
                "Jersey City",
                "Hoboken",
                "Newark",
                "Tri-State Area");
        add(42.36, -71.06, "Boston", "Greater Boston", "Cambridge, MA", "Cambridge Massachusetts", "Somerville");
        add(
                38.9,
                -77.0,
                "Washington DC",
                "Washington, D.C.",
                "Washington D C",
                "DC",
                "D.C.",
                "DMV",
                "Arlington, VA",
                "Arlington Virginia",
                "Alexandria",
                "Bethesda",
                "Northern Virginia",
                "NoVA",
                "Reston",
                "McLean",
                "Tysons");
        add(39.95, -75.17, "Philadelphia", "Philly");
        add(39.3, -76.6, "Baltimore");
        add(41.88, -87.63, "Chicago", "Chicagoland");
        add(42.33, -83.05, "Detroit", "Ann Arbor");
        add(44.98, -93.27, "Minneapolis", "Saint Paul", "St. Paul", "Twin Cities");
        add(30.27, -97.74, "Austin");
        add(32.78, -96.8, "Dallas", "Dallas-Fort Worth", "DFW", "Fort Worth", "Plano", "Irving");
        add(29.76, -95.37, "Houston");
        add(29.42, -98.49, "San Antonio");
        add(39.74, -104.99, "Denver", "Boulder");
        add(40.76, -111.89, "Salt Lake City", "SLC", "Lehi", "Provo");
        add(33.45, -112.07, "Phoenix", "Scottsdale", "Tempe");
        add(36.17, -115.14, "Las Vegas");
        add(33.75, -84.39, "Atlanta");
        add(25.76, -80.19, "Miami", "Fort Lauderdale", "South Florida");
        add(28.54, -81.38, "Orlando");
        add(27.95, -82.46, "Tampa");
        add(35.23, -80.84, "Charlotte");
        add(35.78, -78.64, "Raleigh", "Durham", "Research Triangle", "Raleigh-Durham", "Chapel Hill");
        add(36.16, -86.78, "Nashville");
        add(39.96, -82.999, "Columbus, OH", "Columbus Ohio");
        add(41.5, -81.69, "Cleveland");
        add(39.1, -84.51, "Cincinnati");
        add(40.44, -79.99, "Pittsburgh");
        add(38.63, -90.2, "St. Louis", "Saint Louis");
        add(39.1, -94.58, "Kansas City");
        add(39.77, -86.16, "Indianapolis");
        add(43.04, -87.91, "Milwaukee");
        add(29.95, -90.07, "New Orleans");
        add(21.31, -157.86, "Honolulu");
        add(61.22, -149.9, "Anchorage");
        // elsewhere
        add(43.65, -79.38, "Toronto", "GTA", "Greater Toronto Area");
        add(45.5, -73.57, "Montreal", "Montréal");
        add(45.42, -75.7, "Ottawa");
        add(51.05, -114.07, "Calgary");
        add(51.51, -0.13, "London", "Greater London");
        add(53.48, -2.24, "Manchester");
        add(55.95, -3.19, "Edinburgh");
        add(53.35, -6.26, "Dublin");
        add(52.37, 4.9, "Amsterdam");
        add(48.86, 2.35, "Paris", "Île-de-France", "Ile de France");
        add(52.52, 13.4, "Berlin");
        add(48.14, 11.58, "Munich", "München");
        add(50.11, 8.68, "Frankfurt");
        add(53.55, 9.99, "Hamburg");
        add(47.37, 8.54, "Zurich", "Zürich");
        add(40.42, -3.7, "Madrid");
        add(41.39, 2.17, "Barcelona");
        add(38.72, -9.14, "Lisbon", "Lisboa");
        add(45.46, 9.19, "Milan", "Milano");
        add(59.33, 18.07, "Stockholm");
        add(55.68, 12.57, "Copenhagen");
        add(52.23, 21.01, "Warsaw", "Warszawa");
        add(50.06, 19.94, "Krakow", "Kraków");
        add(32.09, 34.78, "Tel Aviv");
        add(25.2, 55.27, "Dubai");
        add(12.97, 77.59, "Bangalore", "Bengaluru");
        add(19.08, 72.88, "Mumbai");
        add(28.61, 77.21, "Delhi", "New Delhi", "NCR", "Gurgaon", "Gurugram", "Noida");
        add(1.35, 103.82, "Singapore");
        add(35.68, 139.69, "Tokyo");
        add(-33.87, 151.21, "Sydney");
        add(-37.81, 144.96, "Melbourne");
        add(-23.55, -46.63, "São Paulo", "Sao Paulo");
        add(19.43, -99.13, "Mexico City", "CDMX");
    }

    /**
     * The metro areas a text names, in the order it names them: the longest name wins where names
     * overlap ("Washington DC" is not also "DC"). Two-letter names count only written in capitals in
     * {@code raw} (an "LA" is not the word "la").
     */
    static List<Metro> named(String raw) {
        String text = Text.normalize(raw);
        List<int[]> taken = new ArrayList<>();
        List<Object[]> found = new ArrayList<>();
        List<Object[]> candidates = new ArrayList<>();
        for (Metro m : ALL) {
            for (String n : m.names()) {
                if (n.length() <= 3
                        && !raw.matches("(?s).*\\b" + Pattern.quote(n.toUpperCase(Locale.ROOT)) + "\\b.*")) {
                    continue;
                }
                Matcher x = Pattern.compile("\\b" + Pattern.quote(n) + "\\b").matcher(text);
                while (x.find()) {
                    candidates.add(new Object[] {m, x.start(), x.end()});
                }
            }
        }
        candidates.sort((a, b) -> ((int) b[2] - (int) b[1]) - ((int) a[2] - (int) a[1]));
        for (Object[] c : candidates) {
            int s = (int) c[1];
            int e = (int) c[2];
            if (taken.stream().anyMatch(t -> s < t[1] && e > t[0])) {
                continue;
            }
            taken.add(new int[] {s, e});
            found.add(c);
        }
        found.sort((a, b) -> (int) a[1] - (int) b[1]);
        List<Metro> out = new ArrayList<>();
        for (Object[] c : found) {
            if (!out.contains((Metro) c[0])) {
                out.add((Metro) c[0]);
            }
        }
        return out;
    }

    /** The metro area of a city (the candidate's), by its name. */
    static Optional<Metro> of(String city) {
        if (city == null || city.isBlank()) {
            return Optional.empty();
        }
        String c = Text.normalize(city);
        for (Metro m : ALL) {
            if (m.names().contains(c)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Great-circle distance in km. */
    static double km(Metro a, Metro b) {
        double r = 6371;
        double dLat = Math.toRadians(b.lat() - a.lat());
        double dLon = Math.toRadians(b.lon() - a.lon());
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(a.lat()))
                        * Math.cos(Math.toRadians(b.lat()))
                        * Math.sin(dLon / 2)
                        * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.sqrt(h));
    }
}
