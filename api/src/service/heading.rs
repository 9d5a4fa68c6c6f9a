//! The title and description that projects and milestones both carry, checked the same way when
//! they are created and when they are edited.

use jiandu_domain::field;
use jiandu_domain::validate::{Text, limits};
use sea_orm::ActiveValue::{self, Set};

use crate::error::AppError;

/// A title: required, trimmed, at most [`limits::TITLE`] characters.
pub fn title(raw: &str) -> Result<String, AppError> {
    Ok(Text::parse(field::TITLE, raw, limits::TITLE)?.into_string())
}

/// A description: blank means none; at most [`limits::DESCRIPTION`] characters.
pub fn description(raw: Option<&str>) -> Result<Option<String>, AppError> {
    let text = Text::parse_optional(field::DESCRIPTION, raw, limits::DESCRIPTION)?;
    Ok(text.map(Text::into_string))
}

/// An edit's title and description into `title` and `description`: what is not given stays as
/// it was; a description given as none clears it.
pub fn edit(
    (title, description): (&mut ActiveValue<String>, &mut ActiveValue<Option<String>>),
    new_title: Option<String>,
    new_description: Option<Option<String>>,
) -> Result<(), AppError> {
    if let Some(new_title) = new_title {
        *title = Set(self::title(&new_title)?);
    }
    if let Some(new_description) = new_description {
        *description = Set(self::description(new_description.as_deref())?);
    }
    Ok(())
}
