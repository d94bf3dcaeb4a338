//! The OpenAPI 3.1 document, generated from the handler annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API description served at `/api/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(title = "thutuc API", description = "Danh mục thủ tục hành chính, quyết định công bố, lịch ngày làm việc. Errors are RFC 9457 problem+json."),
    paths(
        api::system::healthz,
        api::system::metrics,
        api::procedures::list,
        api::procedures::get,
        api::procedures::versions,
        api::procedures::version,
        api::procedures::diff_versions,
        api::procedures::completeness_report,
        api::procedures::localisations,
        api::procedures::put_localisation,
        api::procedures::create_draft,
        api::procedures::update_draft,
        api::procedures::draft_status,
        api::decisions::list,
        api::decisions::get,
        api::decisions::create,
        api::decisions::update,
        api::decisions::apply,
        api::orgs::list,
        api::orgs::get,
        api::orgs::sectors,
        api::orgs::legal_list,
        api::orgs::legal_get,
        api::calendar::tet,
        api::calendar::lunar,
        api::calendar::holidays,
        api::calendar::add_working_days,
        api::calendar::between,
        api::export::export,
        api::procedures::suggest,
        api::imports::import,
        api::calendar::put_day,
        api::calendar::withdraw_day,
        api::stats::changes,
        api::stats::monthly,
        api::stats::period,
        api::feedback::submit,
        api::feedback::track,
        api::feedback::rate,
        api::feedback::reopen,
        api::feedback::public_list,
        api::feedback::similar_items,
        api::feedback::officer::inbox,
        api::feedback::officer::item,
        api::feedback::officer::act,
        api::feedback::officer::note,
        api::feedback::officer::routing,
        api::feedback::officer::stats,
        api::feedback::officer::escalated,
        api::tasks::list,
        api::tasks::create,
        api::tasks::get,
        api::tasks::step,
        api::tasks::ranking,
        api::tasks::directives,
        api::tasks::create_directive,
        api::tasks::working_groups,
        api::tasks::put_working_group,
        api::tasks::create_meeting,
    ),
    modifiers(&Bearer),
    tags(
        (name = "procedures", description = "Thủ tục hành chính và phiên bản"),
        (name = "drafts", description = "Dự thảo (cần đăng nhập)"),
        (name = "decisions", description = "Quyết định công bố"),
        (name = "organisations", description = "Tổ chức, đơn vị hành chính, lĩnh vực"),
        (name = "legal", description = "Văn bản pháp luật"),
        (name = "calendar", description = "Lịch ngày làm việc"),
        (name = "export", description = "Dữ liệu mở: JSON, CSV, XLSX, CPSV-AP JSON-LD"),
        (name = "imports", description = "Nhập dữ liệu (cần đăng nhập)"),
        (name = "stats", description = "Thống kê và báo cáo công bố TTHC"),
        (name = "system", description = "Giám sát"),
        (name = "feedback", description = "Phản ánh, kiến nghị về quy định hành chính (Nghị định 20/2008/NĐ-CP); Open311 GeoReport v2 tại /open311/v2"),
        (name = "tasks", description = "Chỉ đạo, đôn đốc: nhiệm vụ, văn bản chỉ đạo, tổ công tác, xếp hạng"),
    )
)]
pub struct ApiDoc;
