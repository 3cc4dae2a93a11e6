package org.jkeepalived.core.parse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import org.jkeepalived.core.config.KeepalivedConfig;
import org.jkeepalived.core.config.Timers;

/**
 * The model as YAML or JSON (--print-conf, and configs given in that form). Durations are seconds
 * (1, 0.5), addresses their literal text, byte arrays hex. Empty values are left out.
 */
public final class ConfigMapper {
    private ConfigMapper() {}

    private static final class Holder {
        static final ObjectMapper YAML = configure(YAMLMapper.builder(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
                        .disable(YAMLGenerator.Feature.USE_NATIVE_OBJECT_ID)
                        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                        .build())
                .build());
        static final ObjectMapper JSON = configure(JsonMapper.builder().build());
    }

    private static ObjectMapper configure(ObjectMapper m) {
        SimpleModule mod = new SimpleModule("jkeepalived");
        mod.addSerializer(Duration.class, new JsonSerializer<Duration>() {
            @Override public void serialize(Duration v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeNumber(new BigDecimal(Timers.format(v)));
            }
        });
        mod.addDeserializer(Duration.class, new JsonDeserializer<Duration>() {
            @Override public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
                Long micros = ConfigParser.micros(p.getValueAsString("").strip());
                if (micros == null) throw new com.fasterxml.jackson.databind.exc.InvalidFormatException(p, "not seconds", p.getText(), Duration.class);
                return Duration.ofNanos(micros * 1000);
            }
        });
        mod.addSerializer(InetAddress.class, new JsonSerializer<InetAddress>() {
            @Override public void serialize(InetAddress v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(Addresses.format(v));
            }
        });
        JsonDeserializer<InetAddress> addr = new JsonDeserializer<InetAddress>() {
            @Override public InetAddress deserialize(JsonParser p, DeserializationContext c) throws IOException {
                InetAddress a = Addresses.parse(p.getValueAsString("").strip());
                if (a == null) throw new com.fasterxml.jackson.databind.exc.InvalidFormatException(p, "not an IP address", p.getText(), InetAddress.class);
                return a;
            }
        };
        mod.addDeserializer(InetAddress.class, addr);
        mod.addSerializer(byte[].class, new JsonSerializer<byte[]>() {
            @Override public void serialize(byte[] v, JsonGenerator g, SerializerProvider p) throws IOException {
                StringBuilder sb = new StringBuilder(v.length * 2);
                for (byte b : v) sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
                g.writeString(sb.toString());
            }
        });
        mod.addDeserializer(byte[].class, new JsonDeserializer<byte[]>() {
            @Override public byte[] deserialize(JsonParser p, DeserializationContext c) throws IOException {
                if (p.currentToken() != JsonToken.VALUE_STRING) throw new com.fasterxml.jackson.databind.exc.InvalidFormatException(p, "expected hex", p.getText(), byte[].class);
                String s = p.getText().strip();
                if (s.length() % 2 != 0) throw new com.fasterxml.jackson.databind.exc.InvalidFormatException(p, "odd hex length", s, byte[].class);
                byte[] out = new byte[s.length() / 2];
                for (int i = 0; i < out.length; i++) {
                    int hi = Character.digit(s.charAt(2 * i), 16), lo = Character.digit(s.charAt(2 * i + 1), 16);
                    if (hi < 0 || lo < 0) throw new com.fasterxml.jackson.databind.exc.InvalidFormatException(p, "not hex", s, byte[].class);
                    out[i] = (byte) (hi << 4 | lo);
                }
                return out;
            }
        });
        m.registerModule(mod);
        m.setSerializationInclusion(JsonInclude.Include.NON_EMPTY);
        m.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        m.enable(SerializationFeature.INDENT_OUTPUT);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false);
        return m;
    }

    public static String toYaml(KeepalivedConfig c) {
        return write(Holder.YAML, c);
    }

    public static String toJson(KeepalivedConfig c) {
        return write(Holder.JSON, c);
    }

    public static KeepalivedConfig fromYaml(String yaml) throws JsonProcessingException {
        return Holder.YAML.readValue(yaml, KeepalivedConfig.class);
    }

    public static KeepalivedConfig fromJson(String json) throws JsonProcessingException {
        return Holder.JSON.readValue(json, KeepalivedConfig.class);
    }

    private static String write(ObjectMapper m, Object v) {
        try {
            return m.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
