//! Faults of the installation rather than of a request: a stored value the code does not know.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::json;

e2e!(a_stored_status_the_code_does_not_know_is_internal_on_every_path);
/// A status written behind the server's back (a hand edit, a downgrade) is a fault of the
/// installation, not of the request: every path that meets it answers INTERNAL without the
/// stored text, never VALIDATION_FAILED, and leaves the rest of the data usable.
async fn a_stored_status_the_code_does_not_know_is_internal_on_every_path(app: TestApp) {
    use jiandu_api::entity::milestone;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let town = Town::setup(&app, "思蒙镇").await;
    let parent = town
        .milestone(&app, json!({ "title": "主体施工", "deadline": day(20) }))
        .await;
    let id = parent["id"].as_str().unwrap();
    milestone::Entity::update_many()
        .col_expr(milestone::Column::Status, Expr::value("PAUSED_BY_HAND"))
        .filter(milestone::Column::Id.eq(uuid::Uuid::parse_str(id).unwrap()))
        .exec(app.ctx.db.conn())
        .await
        .unwrap();

    let paths = [
        (
            "query($id:ID!){ milestone(id:$id){ status } }",
            json!({ "id": id }),
        ),
        ("{ milestones { nodes { id } } }", json!({})),
        (
            "query($p:ID!){ project(id:$p){ milestones { nodes { id } } } }",
            json!({ "p": town.bridge }),
        ),
        (
            "mutation($id:ID!){ reportProgress(milestoneId:$id, progress:10){ id } }",
            json!({ "id": id }),
        ),
        (
            "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id, expectedVersion:$v, reason:\"撤销\"){ id } }",
            json!({ "id": id, "v": parent["version"] }),
        ),
        (
            "mutation($i:AddMilestoneInput!){ addMilestone(input:$i){ id } }",
            json!({ "i": {
                "projectId": town.bridge, "parentId": id, "title": "桥面铺装",
                "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian,
                "deadline": day(10),
            } }),
        ),
    ];
    for (query, variables) in paths {
        let body = app.gql(Some(&town.presidium), query, variables).await;
        assert_eq!(code(&body), "INTERNAL", "{query}: {body}");
        assert!(
            !body.to_string().contains("PAUSED_BY_HAND"),
            "the stored text stays in the log: {body}"
        );
    }
    let data = app
        .ok(&town.presidium, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(data["projects"]["totalCount"], 1);
}
