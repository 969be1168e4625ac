package io.ghosthands.activities.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address arithmetic for {@link OutboundUrlPolicy}: IPv4 in every spelling a browser accepts, the
 * IPv4 address an IPv6 one carries, private and reserved ranges. Never a DNS lookup.
 */
final class IpAddresses {

    private IpAddresses() {}

    static InetAddress stripScope(InetAddress a) {
        if (a instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(a.getAddress());
            } catch (UnknownHostException e) {
                return a;
            }
        }
        return a;
    }

    static boolean privateRange(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 10
                    || b0 == 172 && (b1 & 0xf0) == 16
                    || b0 == 192 && b1 == 168
                    || b0 == 100 && (b1 & 0xc0) == 64 // 100.64.0.0/10, carrier-grade NAT
                    || b0 == 198 && (b1 & 0xfe) == 18; // 198.18.0.0/15, benchmarking networks
        }
        int b0 = b[0] & 0xff;
        return (b0 & 0xfe) == 0xfc // fc00::/7, unique local
                || b0 == 0xfe && (b[1] & 0xc0) == 0xc0; // fec0::/10, the old site-local
    }

    static boolean reserved(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 && (b[0] & 0xf0) == 0xf0; // 240.0.0.0/4 and 255.255.255.255
    }

    /** The IPv4 address an IPv6 one carries (compatible, NAT64, 6to4), else the address itself. */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        byte[] v4 = null;
        if (zero(b, 0, 12) && !zero(b, 12, 15)) {
            v4 = new byte[] {b[12], b[13], b[14], b[15]}; // ::a.b.c.d (not :: or ::1)
        } else if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            v4 = new byte[] {b[12], b[13], b[14], b[15]}; // ::ffff:a.b.c.d, when the JDK left it as IPv6
        } else if ((b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && zero(b, 4, 12)) {
            v4 = new byte[] {b[12], b[13], b[14], b[15]}; // 64:ff9b::/96, NAT64
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            v4 = new byte[] {b[2], b[3], b[4], b[5]}; // 2002::/16, 6to4
        }
        if (v4 == null) {
            return address;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** WHATWG URL: a host whose last label is a number (decimal or 0x-hex) is an IPv4 address. */
    static boolean endsInNumber(String host) {
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        if (last.chars().allMatch(Character::isDigit)) {
            return true;
        }
        return (last.startsWith("0x")) && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /**
     * An IPv4 address in any spelling a browser accepts: 1 to 4 parts, each decimal, octal (leading
     * 0) or hex (0x), the last filling the remaining bytes ({@code 127.1}, {@code 2130706433}). Null
     * when it is not one.
     */
    static InetAddress ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            int radix = 10;
            if (p.startsWith("0x") || p.startsWith("0X")) {
                p = p.substring(2);
                radix = 16;
            } else if (p.length() > 1 && p.startsWith("0")) {
                p = p.substring(1);
                radix = 8;
            }
            if (p.isEmpty()) {
                if (radix == 16) {
                    numbers[i] = 0; // "0x" alone is 0
                    continue;
                }
                return null;
            }
            if (p.length() > 32) {
                return null;
            }
            try {
                numbers[i] = Long.parseLong(p, radix);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        long value = 0;
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                return null;
            }
            value |= numbers[i] << (8 * (3 - i));
        }
        long last = numbers[numbers.length - 1];
        if (last >= 1L << (8 * (5 - numbers.length))) {
            return null;
        }
        value |= last;
        try {
            return InetAddress.getByAddress(
                    new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address written as one (IPv4 dotted quad or IPv6); never a DNS lookup. Null otherwise. */
    static InetAddress literal(String text) {
        if (text.isEmpty()
                || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
