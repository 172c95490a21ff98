package dev.switchboard.producer.web;

import jakarta.servlet.http.HttpServletRequest;

/** Which part of the service a request is for, by path (without any forwarded prefix). */
public final class Paths {
    private Paths() {
    }

    /** The request path below the context path, which carries the X-Forwarded-Prefix once it is applied. */
    public static String withinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    public static boolean isAdmin(String path) {
        return path.equals("/admin") || path.startsWith("/admin/");
    }

    public static boolean isManagement(String path) {
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }
}
