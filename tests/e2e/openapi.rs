//! A small validator of request bodies against Discord's OpenAPI description.
//!
//! `fixtures/discord-openapi-subset.json` holds the request-body schemas of the six endpoints
//! lectern calls with a body, and every schema they reach, cut from Discord's official
//! description (discord/discord-api-spec, MIT, see `fixtures/discord-openapi-LICENSE`) with a
//! script that keeps `paths[p][method].requestBody` and follows `$ref`s.
//!
//! It checks what JSON Schema 2020-12 keywords the subset uses: `$ref`, `allOf`, `anyOf`,
//! `oneOf`, `type`, `enum`, `const`, `properties`, `required`, `additionalProperties`, `items`,
//! `minItems`/`maxItems`, `minLength`/`maxLength` (in characters), `minimum`/`maximum`,
//! `maxProperties`, `uniqueItems`, `pattern` and `format: uri` (as Discord applies it: an
//! absolute `http(s)` URL, or `attachment://`; anything else is [`NOT_A_URL`], which Discord
//! answers with 50035 for the whole message); other formats are not checked. One rule is stricter
//! than the spec: a property the schema does not name is an error when it has a value, so that
//! a misspelt field cannot slip through. Exempt are empty values and `false` (serenity and
//! poise serialise absent fields as `null` or `[]`, and `autocomplete: false` on every option,
//! all of which Discord ignores) and [`MISSING_FROM_SPEC`].

use regex::Regex;
use serde_json::Value;

/// Fields Discord documents and accepts that the OpenAPI description does not list.
const MISSING_FROM_SPEC: &[&str] = &[
    // Application commands: "Indicates whether the command is age-restricted".
    "nsfw",
];

/// Discord's words for a URL it rejects (error 50035, `BASE_TYPE_BAD_URL`... "Not a well formed
/// URL."); the fake answers a body with such an error as Discord does.
pub const NOT_A_URL: &str = "Not a well formed URL";

/// Whether Discord takes `s` where the spec says `format: uri`: an absolute http(s) URL with a
/// host, or an attachment reference, written out without spaces or control characters.
pub fn well_formed_url(s: &str) -> bool {
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    if s.strip_prefix("attachment://")
        .is_some_and(|n| !n.is_empty())
    {
        return true;
    }
    url::Url::parse(s).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

pub struct Spec {
    doc: Value,
}

impl Spec {
    pub fn load() -> Spec {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/e2e/fixtures/discord-openapi-subset.json"
        );
        let text = std::fs::read_to_string(path).expect("the OpenAPI subset is in the repository");
        Spec {
            doc: serde_json::from_str(&text).expect("the OpenAPI subset is JSON"),
        }
    }

    /// Every way `body` breaks the request schema of `method template`; empty when it is fine.
    pub fn check_request(&self, method: &str, template: &str, body: &Value) -> Vec<String> {
        let schema = &self.doc["paths"][template][method]["requestBody"]["content"]["application/json"]
            ["schema"];
        assert!(
            schema.is_object(),
            "no request schema for {method} {template}"
        );
        let mut errors = Vec::new();
        self.check(schema, body, "$", &mut errors);
        errors
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r
                    .strip_prefix("#/components/schemas/")
                    .expect("local refs only");
                self.resolve(&self.doc["components"]["schemas"][name])
            }
            None => schema,
        }
    }

    fn matches(&self, schema: &Value, v: &Value, at: &str) -> Result<(), Vec<String>> {
        let mut e = Vec::new();
        self.check(schema, v, at, &mut e);
        if e.is_empty() { Ok(()) } else { Err(e) }
    }

    fn check(&self, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
        let s = self.resolve(schema);
        if let Some(types) = s.get("type") {
            let types: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| type_matches(t, v)) {
                errors.push(format!("{at}: expected {types:?}, found {v}"));
                return;
            }
        }
        if let Some(allowed) = s.get("enum").and_then(Value::as_array)
            && !allowed.contains(v)
        {
            errors.push(format!("{at}: {v} not in {allowed:?}"));
        }
        if let Some(c) = s.get("const")
            && c != v
        {
            errors.push(format!("{at}: {v} is not {c}"));
        }
        for sub in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check(sub, v, at, errors);
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            let results: Vec<_> = any.iter().map(|sub| self.matches(sub, v, at)).collect();
            if !results.iter().any(Result::is_ok) {
                errors.push(format!("{at}: matches no anyOf branch: {}", best(results)));
            }
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            let results: Vec<_> = one.iter().map(|sub| self.matches(sub, v, at)).collect();
            match results.iter().filter(|r| r.is_ok()).count() {
                1 => {}
                0 => errors.push(format!("{at}: matches no oneOf branch: {}", best(results))),
                n => errors.push(format!("{at}: matches {n} oneOf branches")),
            }
        }
        match v {
            Value::Object(map) => {
                let props = s.get("properties").and_then(Value::as_object);
                for req in s
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let req = req.as_str().unwrap_or_default();
                    if !map.contains_key(req) {
                        errors.push(format!("{at}: missing required `{req}`"));
                    }
                }
                if let Some(max) = s.get("maxProperties").and_then(Value::as_u64)
                    && map.len() as u64 > max
                {
                    errors.push(format!("{at}: {} properties, at most {max}", map.len()));
                }
                for (k, item) in map {
                    let here = format!("{at}.{k}");
                    match (props.and_then(|p| p.get(k)), s.get("additionalProperties")) {
                        (Some(p), _) => self.check(p, item, &here, errors),
                        (None, Some(Value::Bool(false))) => {
                            errors.push(format!("{here}: not allowed"));
                        }
                        (None, Some(extra @ Value::Object(_))) => {
                            self.check(extra, item, &here, errors);
                        }
                        (None, _) if props.is_some() && !exempt(k, item) => {
                            errors.push(format!("{here}: not in the schema"));
                        }
                        (None, _) => {}
                    }
                }
            }
            Value::Array(items) => {
                if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
                    && items.len() as u64 > max
                {
                    errors.push(format!("{at}: {} items, at most {max}", items.len()));
                }
                if let Some(min) = s.get("minItems").and_then(Value::as_u64)
                    && (items.len() as u64) < min
                {
                    errors.push(format!("{at}: {} items, at least {min}", items.len()));
                }
                if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                    for (i, a) in items.iter().enumerate() {
                        if items[..i].contains(a) {
                            errors.push(format!("{at}[{i}]: duplicate item"));
                        }
                    }
                }
                if let Some(item_schema) = s.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{at}[{i}]"), errors);
                    }
                }
            }
            Value::String(text) => {
                let n = text.chars().count() as u64;
                if let Some(max) = s.get("maxLength").and_then(Value::as_u64)
                    && n > max
                {
                    errors.push(format!("{at}: {n} characters, at most {max}"));
                }
                if let Some(min) = s.get("minLength").and_then(Value::as_u64)
                    && n < min
                {
                    errors.push(format!("{at}: {n} characters, at least {min}"));
                }
                if s.get("format").and_then(Value::as_str) == Some("uri") && !well_formed_url(text)
                {
                    errors.push(format!("{at}: {NOT_A_URL}: {text:?}"));
                }
                if let Some(p) = s.get("pattern").and_then(Value::as_str)
                    && !Regex::new(p)
                        .expect("the spec's patterns compile")
                        .is_match(text)
                {
                    errors.push(format!("{at}: {text:?} does not match {p}"));
                }
            }
            Value::Number(n) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                if let Some(max) = s.get("maximum").and_then(Value::as_f64)
                    && x > max
                {
                    errors.push(format!("{at}: {n} > {max}"));
                }
                if let Some(min) = s.get("minimum").and_then(Value::as_f64)
                    && x < min
                {
                    errors.push(format!("{at}: {n} < {min}"));
                }
            }
            _ => {}
        }
    }
}

fn exempt(key: &str, v: &Value) -> bool {
    MISSING_FROM_SPEC.contains(&key)
        || match v {
            Value::Null | Value::Bool(false) => true,
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => false,
    }
}

/// The errors of the branch that came closest, for a readable failure: branches whose type
/// does not even match come last.
fn best(results: Vec<Result<(), Vec<String>>>) -> String {
    results
        .into_iter()
        .filter_map(Result::err)
        .min_by_key(|e| (e.len() == 1 && e[0].contains(": expected "), e.len()))
        .map(|e| e.join("; "))
        .unwrap_or_default()
}

#[test]
fn the_validator_rejects_what_discord_would() {
    let spec = Spec::load();
    let path = "/interactions/{interaction_id}/{interaction_token}/callback";
    let ok = serde_json::json!({"type": 4, "data": {"content": "hi", "allowed_mentions": {"parse": []}}});
    assert_eq!(spec.check_request("post", path, &ok), Vec::<String>::new());
    let long = "x".repeat(2001);
    for bad in [
        serde_json::json!({"type": 4, "data": {"content": long}}),
        serde_json::json!({"type": 4, "data": {"contnet": "typo"}}),
        serde_json::json!({"data": {}}),
        serde_json::json!({"type": 4, "data": {"components": [{"type": 1, "components": [
            {"type": 2, "style": 2, "custom_id": "x".repeat(101), "label": "a"}]}]}}),
    ] {
        assert!(!spec.check_request("post", path, &bad).is_empty(), "{bad}");
    }
    // Embed URLs: what a write-up gave before issue 11, and what Discord accepts.
    let embed = |url: &str, image: &str| serde_json::json!({"type": 4, "data": {"embeds": [{"title": "t", "url": url, "image": {"url": image}}]}});
    assert_eq!(
        spec.check_request(
            "post",
            path,
            &embed("https://example.org/a", "https://example.org/i.png")
        ),
        Vec::<String>::new()
    );
    let long = format!("https://example.org/{}", "a".repeat(2048));
    for bad in [
        embed("某播客第 42 期", "https://example.org/i.png"),
        embed("https://example.org/a", "images/latency.png"),
        embed("https://example.org/a", "diagram.png"),
        embed("https://example.org/a b", "https://example.org/i.png"),
        embed("javascript:alert(1)", "https://example.org/i.png"),
        embed(&long, "https://example.org/i.png"),
    ] {
        assert!(!spec.check_request("post", path, &bad).is_empty(), "{bad}");
    }
}

/// The vendored subset is Discord's text, unchanged: when the full description is beside the
/// repository (`../shared/discord-api/openapi.json`, as on the project's machines and in CI),
/// every schema and request body of the subset must be equal to the original.
#[test]
fn the_vendored_subset_matches_the_full_description() {
    let full = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/discord-api/openapi.json"
    );
    let Ok(text) = std::fs::read_to_string(full) else {
        eprintln!("{full} is not there: the subset is not compared");
        return;
    };
    let full: Value = serde_json::from_str(&text).unwrap();
    let subset = Spec::load().doc;
    let schemas = subset["components"]["schemas"].as_object().unwrap();
    assert!(schemas.len() > 50);
    for (name, schema) in schemas {
        assert_eq!(
            schema, &full["components"]["schemas"][name],
            "schema {name} differs"
        );
    }
    for (path, methods) in subset["paths"].as_object().unwrap() {
        for (method, op) in methods.as_object().unwrap() {
            assert_eq!(
                op["requestBody"]["content"]["application/json"],
                full["paths"][path][method]["requestBody"]["content"]["application/json"],
                "{method} {path} differs"
            );
        }
    }
}
