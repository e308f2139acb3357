package dev.raceway.agent;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's OkHttp (3.x, 4.x) requests and responses, reached by reflection: OkHttp is the application's,
 * never on the agent's class path (the agent's own copy is relocated, and its classes are named differently).
 * Classes are recognised by name and their public methods looked up once per class.
 */
final class OkHttpAccess {
    static final String REQUEST = "okhttp3.Request";
    static final String RESPONSE = "okhttp3.Response";

    private record RequestApi(Method header, Method method, Method url, Method newBuilder, Method setHeader,
                              Method build) {
    }

    private final ConcurrentHashMap<Class<?>, RequestApi> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Class<?>, Method> responseHeader = new ConcurrentHashMap<>();

    static boolean isRequest(Object o) {
        return o.getClass().getName().equals(REQUEST);
    }

    static boolean isResponse(Object o) {
        return o.getClass().getName().equals(RESPONSE);
    }

    String header(Object request, String name) {
        return (String) call(api(request).header(), request, name);
    }

    String method(Object request) {
        return (String) call(api(request).method(), request);
    }

    String url(Object request) {
        return String.valueOf(call(api(request).url(), request));
    }

    /** A copy of {@code request} with {@code headers} set (OkHttp requests are immutable). */
    Object withHeaders(Object request, Map<String, String> headers) {
        RequestApi api = api(request);
        Object builder = call(api.newBuilder(), request);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            call(api.setHeader(), builder, h.getKey(), h.getValue());
        }
        return call(api.build(), builder);
    }

    /** A response header, or null. */
    String responseHeader(Object response, String name) {
        Method m = responseHeader.computeIfAbsent(response.getClass(), c -> lookUp(c, "header", String.class));
        return (String) call(m, response, name);
    }

    private RequestApi api(Object request) {
        return requests.computeIfAbsent(request.getClass(), c -> {
            Method newBuilder = lookUp(c, "newBuilder");
            Class<?> builder = newBuilder.getReturnType();
            return new RequestApi(lookUp(c, "header", String.class), lookUp(c, "method"), lookUp(c, "url"),
                    newBuilder, lookUp(builder, "header", String.class, String.class), lookUp(builder, "build"));
        });
    }

    private static Method lookUp(Class<?> c, String name, Class<?>... parameters) {
        try {
            return c.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("OkHttp's " + c.getName() + " has no " + name, e);
        }
    }

    private static Object call(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("OkHttp call " + m.getName() + " failed", e);
        }
    }
}
