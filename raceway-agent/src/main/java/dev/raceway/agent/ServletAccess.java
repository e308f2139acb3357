package dev.raceway.agent;

import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jakarta Servlet requests and responses, reached by reflection: the servlet API is the application's (or the
 * container's), never on the agent's class path. Methods are looked up once per class loader, on the public
 * interfaces, so container classes that are not public themselves still work.
 */
final class ServletAccess {
    private record Api(Method getHeader, Method getMethod, Method getRequestUri, Method getQueryString,
                       Method getAttribute, Method setAttribute, Method getStatus, Method isCommitted,
                       Method setHeader) {
    }

    private final ConcurrentHashMap<ClassLoader, Api> apis = new ConcurrentHashMap<>();

    /** A request seen through the servlet API. */
    final class Request {
        private final Api api;
        private final Object request;

        Request(Api api, Object request) {
            this.api = api;
            this.request = request;
        }

        String header(String name) {
            return (String) call(api.getHeader(), request, name);
        }

        String method() {
            return (String) call(api.getMethod(), request);
        }

        String target() {
            String uri = (String) call(api.getRequestUri(), request);
            String query = (String) call(api.getQueryString(), request);
            return query == null ? uri : uri + "?" + query;
        }

        Object attribute(String name) {
            return call(api.getAttribute(), request, name);
        }

        void setAttribute(String name, Object value) {
            call(api.setAttribute(), request, name, value);
        }
    }

    Request request(Object request) {
        Api api = api(request);
        return api == null ? null : new Request(api, request);
    }

    /** Adds the response clock if the response is not committed yet; returns the status. */
    int finish(Object response, String responseClock) {
        Api api = api(response);
        if (api == null || response == null) {
            return -1;
        }
        if (!(Boolean) call(api.isCommitted(), response)) {
            call(api.setHeader(), response, "raceway-clock", responseClock);
        }
        return (Integer) call(api.getStatus(), response);
    }

    private Api api(Object o) {
        if (o == null) {
            return null;
        }
        ClassLoader loader = o.getClass().getClassLoader();
        if (loader == null) {
            return null;
        }
        return apis.computeIfAbsent(loader, ServletAccess::lookUp);
    }

    private static Api lookUp(ClassLoader loader) {
        try {
            Class<?> req = Class.forName("jakarta.servlet.http.HttpServletRequest", false, loader);
            Class<?> res = Class.forName("jakarta.servlet.http.HttpServletResponse", false, loader);
            return new Api(req.getMethod("getHeader", String.class), req.getMethod("getMethod"),
                    req.getMethod("getRequestURI"), req.getMethod("getQueryString"),
                    req.getMethod("getAttribute", String.class),
                    req.getMethod("setAttribute", String.class, Object.class), res.getMethod("getStatus"),
                    res.getMethod("isCommitted"), res.getMethod("setHeader", String.class, String.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("no servlet API visible from " + loader, e);
        }
    }

    private static Object call(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("servlet call " + m.getName() + " failed", e);
        }
    }
}
