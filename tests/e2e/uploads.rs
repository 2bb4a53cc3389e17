//! File uploads, read as Discord reads them (Developer docs, "Uploading Files"): a request
//! with files is `multipart/form-data`; its JSON body is the part `payload_json`; each file is
//! a part `files[<n>]` with a file name; the payload's `attachments` lists each new file with
//! `id` `<n>` and the same `filename`; an embed shows an uploaded file by `attachment://<file
//! name>`, and a reference to a file that is not in the request shows nothing. The fake
//! reports each breach as a problem, which fails the test.

use serde_json::Value;

/// One uploaded file.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The part's name, `files[<n>]`.
    pub part: String,
    pub filename: String,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// A request's body as JSON and its files, with the problems Discord would have with them.
/// `content_type` is the request's header; a body that is not multipart is JSON, with no files.
pub fn read(content_type: Option<&str>, body: &[u8]) -> Result<(Value, Vec<Upload>), String> {
    let Some(boundary) = content_type
        .filter(|t| t.starts_with("multipart/form-data"))
        .and_then(|t| t.split("boundary=").nth(1))
    else {
        if body.is_empty() {
            return Ok((Value::Null, Vec::new()));
        }
        return serde_json::from_slice(body)
            .map(|v| (v, Vec::new()))
            .map_err(|e| format!("body is not JSON: {e}"));
    };
    let boundary = boundary.trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut payload = None;
    let mut files = Vec::new();
    let mut rest = body;
    let first = find(rest, delimiter.as_bytes()).ok_or("no multipart boundary")?;
    rest = &rest[first + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break;
        }
        let rest_start = rest.strip_prefix(b"\r\n").ok_or("a part without CRLF")?;
        let end = find(rest_start, format!("\r\n{delimiter}").as_bytes())
            .ok_or("a part without its closing boundary")?;
        let part = &rest_start[..end];
        rest = &rest_start[end + 2 + delimiter.len()..];
        let head_end = find(part, b"\r\n\r\n").ok_or("a part without headers")?;
        let head = String::from_utf8_lossy(&part[..head_end]).to_string();
        let data = part[head_end + 4..].to_vec();
        let header = |name: &str| {
            head.split("\r\n")
                .find(|l| l.to_ascii_lowercase().starts_with(&format!("{name}:")))
                .map(|l| l[name.len() + 1..].trim().to_string())
        };
        let disposition = header("content-disposition").ok_or("a part without a name")?;
        let param = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|p| p.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_string())
        };
        let name = param("name").ok_or("a part without a name")?;
        if name == "payload_json" {
            payload = Some(
                serde_json::from_slice::<Value>(&data)
                    .map_err(|e| format!("payload_json is not JSON: {e}"))?,
            );
        } else {
            files.push(Upload {
                part: name,
                filename: param("filename").unwrap_or_default(),
                content_type: header("content-type"),
                data,
            });
        }
    }
    Ok((payload.unwrap_or(Value::Null), files))
}

/// An attachment's id: a snowflake, as a string (or, as Discord's own example writes the
/// placeholder of a new file, a number).
fn id_of(a: &Value) -> Option<u64> {
    a["id"]
        .as_u64()
        .or_else(|| a["id"].as_str().and_then(|s| s.parse().ok()))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// What Discord would refuse or not show in a message `message` sent with `files`.
pub fn problems(message: &Value, files: &[Upload]) -> Vec<String> {
    let mut problems = Vec::new();
    let listed: Vec<&Value> = message["attachments"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    for f in files {
        let Some(n) = f
            .part
            .strip_prefix("files[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse::<u64>().ok())
        else {
            problems.push(format!("an upload part named {:?}, not files[n]", f.part));
            continue;
        };
        if f.filename.is_empty() {
            problems.push(format!("{} has no file name", f.part));
        }
        match listed.iter().find(|a| id_of(a) == Some(n)) {
            None => problems.push(format!("{} is not in the payload's attachments", f.part)),
            Some(a) if a["filename"].as_str() != Some(f.filename.as_str()) => {
                problems.push(format!(
                    "{}'s attachment says {} for {}",
                    f.part, a["filename"], f.filename
                ));
            }
            Some(_) => {}
        }
        let png = f.filename.to_ascii_lowercase().ends_with(".png");
        if png && !f.data.starts_with(b"\x89PNG\r\n\x1a\n") {
            problems.push(format!("{} is called .png and is not a PNG", f.part));
        }
    }
    for a in &listed {
        let new = id_of(a).is_some_and(|n| files.iter().any(|f| f.part == format!("files[{n}]")));
        if !new && a.get("filename").is_some() {
            problems.push(format!("the attachment {a} has no file part"));
        }
    }
    let embeds = message["embeds"].as_array().cloned().unwrap_or_default();
    for e in &embeds {
        for url in [
            &e["image"]["url"],
            &e["thumbnail"]["url"],
            &e["footer"]["icon_url"],
            &e["author"]["icon_url"],
        ] {
            let Some(name) = url.as_str().and_then(|u| u.strip_prefix("attachment://")) else {
                continue;
            };
            let ok_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
            if !ok_name {
                problems.push(format!(
                    "attachment://{name}: not a name Discord can refer to"
                ));
            }
            if !files.iter().any(|f| f.filename == name) {
                problems.push(format!(
                    "the embed shows attachment://{name}, which is not uploaded with it"
                ));
            }
        }
    }
    problems
}
