//! Images a client can show: every image of a talk made an absolute http(s) URL, or dropped
//! with a warning.

use crate::budget::DISCORD;
use crate::model::Talk;

/// Makes every image of `talk` an absolute http(s) URL Discord accepts, or drops it: a relative
/// path (`images/a.png`, Obsidian's `diagram.png`) resolves against `base` when there is one;
/// what still is no such URL is removed, and each removal is a warning for `lectern check`.
/// The source (`meta.source`) is left as written: a source that is no URL is shown as text.
pub fn resolve_media(talk: &mut Talk, base: Option<&str>) -> Vec<String> {
    use crate::text::web_url;
    let base = base.and_then(|b| url::Url::parse(b).ok());
    let mut warnings = Vec::new();
    for s in &mut talk.sections {
        let Some(image) = s.infographic.as_mut() else {
            continue;
        };
        if let Some(u) = web_url(&image.url, DISCORD.embed_url) {
            image.url = u;
            continue;
        }
        let joined = base
            .as_ref()
            .filter(|_| url::Url::parse(&image.url).is_err())
            .and_then(|b| b.join(image.url.trim()).ok())
            .and_then(|u| web_url(u.as_str(), DISCORD.embed_url));
        match joined {
            Some(u) => image.url = u,
            None => {
                warnings.push(format!(
                    "section {:?}: image `{}` is not an absolute http(s) URL Discord accepts; \
                     dropped (set content.media_base_url to resolve relative images)",
                    s.title,
                    crate::text::truncate_chars(&image.url, 100)
                ));
                s.infographic = None;
            }
        }
    }
    warnings
}
