//! `/reload [force:]`: read the seeds folder again (operators only). Who may, how often, and
//! the reload itself belong to the service that holds the library (the plugin); this is what
//! the command offers and what it shows of the report.

use super::{Answer, Opt, OptKind, Options, Outcome, Spec};
use crate::changes::ReloadReport;
use crate::i18n::Lang;
use crate::reply;

pub(crate) const SPEC: Spec = Spec {
    name: "reload",
    name_zh: ("重新加载", "重新載入"),
    description: "Reload the talks from the seeds folder (operators only)",
    description_zh: ("重新加载内容（仅管理员）", "重新載入內容（僅管理員）"),
    options: &[Opt {
        name: "force",
        name_zh: ("强制", "強制"),
        description: "Put what loaded in service even if some files failed",
        description_zh: (
            "即使有文件失败，也换上已加载的内容",
            "即使有檔案失敗，也換上已載入的內容",
        ),
        kind: OptKind::Flag,
        required: false,
        autocomplete: false,
    }],
    operators_only: true,
    menu: false,
};

/// `/reload [force:]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reload {
    /// Put what loaded in service even if some files failed.
    pub force: bool,
}

impl Reload {
    pub(crate) fn read(options: &dyn Options) -> Reload {
        Reload {
            force: options.flag("force").unwrap_or(false),
        }
    }

    /// What the command shows of a reload: the report; a reload that kept the old content is
    /// a notice.
    pub fn answer(report: &ReloadReport, lang: Lang) -> Answer {
        let outcome = if report.verdict.swapped() {
            Outcome::Ok
        } else {
            Outcome::Notice
        };
        Answer::new(reply::reload_report(report, lang), outcome)
    }
}
