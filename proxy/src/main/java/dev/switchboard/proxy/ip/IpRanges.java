package dev.switchboard.proxy.ip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code ::1/128}),
 * as Traefik's {@code ip.Checker} takes them for {@code ClientIP}, {@code ipAllowList} and trusted
 * forwarders.
 */
public final class IpRanges {
    private final List<Range> ranges;

    private IpRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses each entry; {@link IllegalArgumentException} names the one that is not an IP or CIDR. */
    public static IpRanges parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(Range.parse(entry.trim()));
        }
        return new IpRanges(List.copyOf(ranges));
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code ip} (a literal address; a port or IPv6 zone is ignored) is in one of the ranges. */
    public boolean contains(String ip) {
        byte[] address = literal(ip);
        if (address == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of a literal IPv4 or IPv6 address (IPv4-mapped IPv6 folded to IPv4), or null. */
    static byte[] literal(String ip) {
        if (ip == null || ip.isEmpty()) {
            return null;
        }
        String s = ip;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            s = end > 0 ? s.substring(1, end) : s;
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        boolean v4 = s.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        boolean v6 = s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!v4 && !v6 || v4 && !isDottedQuad(s)) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(s).getAddress();
            return bytes;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Go's {@code net.ParseIP} for IPv4: four decimal parts of 0 to 255 without leading zeros, so
     * that {@code 1}, {@code 10.1} or {@code 010.0.0.1} are refused as Traefik refuses them (Java
     * would read them as shorthand or octal).
     */
    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private record Range(byte[] network, int prefix) {
        static Range parse(String entry) {
            String address = entry;
            int prefix = -1;
            int slash = entry.indexOf('/');
            if (slash >= 0) {
                address = entry.substring(0, slash);
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR range");
                }
            }
            byte[] bytes = literal(address);
            if (bytes == null) {
                throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR range");
            }
            int bits = bytes.length * 8;
            if (prefix < 0) {
                prefix = bits;
            }
            if (prefix > bits) {
                throw new IllegalArgumentException("\"" + entry + "\": the prefix length is more than " + bits);
            }
            return new Range(bytes, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
