//! Intake: the sender (Decree 20/2008 Art 7 requires name, address and phone), the channel,
//! and validation of a raw submission into a [`NewFeedback`], collecting every field error.

use serde::{Deserialize, Serialize};

use super::classify::ContentKind;
use super::error::{FeedbackError, FieldError};
use crate::text::{clean, clean_inline};

/// Longest accepted content, in characters.
pub const MAX_CONTENT_CHARS: usize = 20_000;
/// Shortest accepted content, in characters (a clear content is required).
pub const MIN_CONTENT_CHARS: usize = 10;

/// A Vietnamese phone number (số điện thoại), normalised to the national form `0XXXXXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Parses `+84 912 345 678`, `0912.345.678`, `(024) 3825 1234` and the like: after
    /// removing spaces, dots, hyphens and parentheses and turning `+84`/`84` into `0`, a
    /// mobile number has 10 digits (`03`, `05`, `07`, `08`, `09`) and a landline 11 (`02`
    /// plus the area code, since the 2017–2018 renumbering).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "sender_phone",
                "số điện thoại không hợp lệ: di động 10 chữ số (0912345678, +84912345678), cố định 11 chữ số (024 3825 1234)",
                "invalid phone number: mobile 10 digits (0912345678, +84912345678), landline 11 digits (024 3825 1234)",
            )
        };
        let mut s: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{00A0}'))
            .collect();
        if let Some(rest) = s.strip_prefix("+84") {
            s = format!("0{rest}");
        } else if (s.len() == 11 || s.len() == 12) && s.starts_with("84") {
            s = format!("0{}", &s[2..]);
        }
        let digits = s.chars().all(|c| c.is_ascii_digit());
        let mobile = s.len() == 10
            && matches!(
                s.as_bytes().get(..2),
                Some([b'0', b'3' | b'5' | b'7' | b'8' | b'9'])
            );
        let landline = s.len() == 11 && s.starts_with("02");
        let ok = digits && (mobile || landline);
        if ok { Ok(Self(s)) } else { Err(bad()) }
    }
    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}
impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// An e-mail address (thư điện tử), checked for a plausible shape; the domain is lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Parses `local@domain.tld`: one `@`, no spaces or control characters, a local part of
    /// 1–64 characters, a domain of dot-separated labels (letters, digits, hyphens).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "sender_email",
                "địa chỉ thư điện tử không hợp lệ, ví dụ ten@example.vn",
                "invalid e-mail address, e.g. name@example.vn",
            )
        };
        let s = raw.trim();
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, '@' | '<' | '>' | '"' | ',' | ';'));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok && s.len() <= 254 {
            Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
        } else {
            Err(bad())
        }
    }
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, FieldError> {
        Self::parse(&s)
    }
}
impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal / $vi:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// Stable identifier (stored and used in the API).
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),+ } }
            /// Parses the stable identifier.
            pub fn parse(s: &str) -> Option<Self> { match s { $($s => Some($name::$v),)+ _ => None } }
            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str { match self { $($name::$v => $vi),+ } }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
pub(crate) use str_enum;

str_enum! {
    /// Who writes (đối tượng gửi): a person, a business or an organisation.
    SenderKind {
        /// Cá nhân.
        Person = "person" / "Cá nhân",
        /// Doanh nghiệp.
        Business = "business" / "Doanh nghiệp",
        /// Tổ chức, hiệp hội.
        Organisation = "organisation" / "Tổ chức",
    }
}

str_enum! {
    /// How the item arrived (kênh tiếp nhận).
    Channel {
        /// Cổng Dịch vụ công / portal form.
        Portal = "portal" / "Cổng thông tin",
        /// Thư điện tử.
        Email = "email" / "Thư điện tử",
        /// Bưu chính.
        Post = "post" / "Bưu chính",
        /// Điện thoại (đường dây nóng), written down by an officer.
        Phone = "phone" / "Điện thoại",
        /// Trực tiếp.
        InPerson = "in_person" / "Trực tiếp",
        /// Phiếu khảo sát.
        Survey = "survey" / "Phiếu khảo sát",
        /// Another system through the API (incl. Open311).
        Api = "api" / "Hệ thống khác (API)",
    }
}

/// The sender (người phản ánh, kiến nghị).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// Full name (họ tên) or the name of the business/organisation.
    pub name: String,
    /// Address (địa chỉ).
    pub address: String,
    /// Phone (số điện thoại).
    pub phone: Phone,
    /// Optional e-mail for the receipt and the answer.
    pub email: Option<Email>,
    /// Person, business or organisation.
    pub kind: SenderKind,
}

/// A submission as typed by a sender or an officer, before validation (every field may be
/// missing; validation names what is required).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawFeedback {
    /// Sender name.
    pub sender_name: String,
    /// Sender address.
    pub sender_address: String,
    /// Sender phone.
    pub sender_phone: String,
    /// Sender e-mail (may be empty).
    pub sender_email: String,
    /// `person`, `business` or `organisation` (empty = person).
    pub sender_kind: String,
    /// Channel identifier (empty = portal).
    pub channel: String,
    /// Short title (may be empty: derived from the content).
    pub title: String,
    /// The content.
    pub content: String,
    /// Optional TTHC code of the procedure concerned.
    pub procedure_code: String,
    /// Optional legal document concerned (number/symbol).
    pub legal_document: String,
    /// Optional content kind (Art 5) chosen by the sender.
    pub content_kind: String,
}

/// A validated submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFeedback {
    /// The sender.
    pub sender: Sender,
    /// Channel.
    pub channel: Channel,
    /// Title (≤ 200 characters).
    pub title: String,
    /// Content, cleaned (NFC, trimmed); stored as text and always escaped on output.
    pub content: String,
    /// Procedure code, if any.
    pub procedure_code: Option<String>,
    /// Legal document, if any.
    pub legal_document: Option<String>,
    /// Content kind suggested by the sender, if any.
    pub content_kind: Option<ContentKind>,
}

fn required(field: &'static str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let v = clean_inline(value);
    if v.is_empty() {
        errors.push(FieldError::new(field, "không được để trống", "is required"));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(
            field,
            format!("dài quá {max} ký tự"),
            format!("longer than {max} characters"),
        ));
    }
    v
}

fn optional(value: &str, max: usize) -> Option<String> {
    let v = clean_inline(value);
    (!v.is_empty()).then(|| v.chars().take(max).collect())
}

impl RawFeedback {
    /// Validates every field and returns all errors at once.
    pub fn validate(&self) -> Result<NewFeedback, FeedbackError> {
        let mut errors = Vec::new();
        let name = required("sender_name", &self.sender_name, 200, &mut errors);
        let address = required("sender_address", &self.sender_address, 500, &mut errors);
        let phone = if clean(&self.sender_phone).is_empty() {
            errors.push(FieldError::new(
                "sender_phone",
                "không được để trống",
                "is required",
            ));
            None
        } else {
            Phone::parse(&self.sender_phone)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let email = if self.sender_email.trim().is_empty() {
            None
        } else {
            Email::parse(&self.sender_email)
                .map_err(|e| errors.push(e))
                .ok()
        };
        let kind = match self.sender_kind.trim() {
            "" => SenderKind::Person,
            s => SenderKind::parse(s).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "sender_kind",
                    "phải là person, business hoặc organisation",
                    "must be person, business or organisation",
                ));
                SenderKind::Person
            }),
        };
        let channel = match self.channel.trim() {
            "" => Channel::Portal,
            s => Channel::parse(s).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "channel",
                    "kênh không hợp lệ",
                    "unknown channel",
                ));
                Channel::Portal
            }),
        };
        let content = clean(&self.content);
        let n = content.chars().count();
        if n < MIN_CONTENT_CHARS {
            errors.push(FieldError::new(
                "content",
                format!("nội dung phải rõ ràng, ít nhất {MIN_CONTENT_CHARS} ký tự"),
                format!("the content must be clear, at least {MIN_CONTENT_CHARS} characters"),
            ));
        } else if n > MAX_CONTENT_CHARS {
            errors.push(FieldError::new(
                "content",
                format!("nội dung dài quá {MAX_CONTENT_CHARS} ký tự"),
                format!("the content is longer than {MAX_CONTENT_CHARS} characters"),
            ));
        }
        let content_kind = match self.content_kind.trim() {
            "" => None,
            s => {
                let k = ContentKind::parse(s);
                if k.is_none() {
                    errors.push(FieldError::new(
                        "content_kind",
                        "loại nội dung không hợp lệ",
                        "unknown content kind",
                    ));
                }
                k
            }
        };
        let title = optional(&self.title, 200)
            .unwrap_or_else(|| clean_inline(&content).chars().take(120).collect());
        match (phone, errors.is_empty()) {
            (Some(phone), true) => Ok(NewFeedback {
                sender: Sender {
                    name,
                    address,
                    phone,
                    email,
                    kind,
                },
                channel,
                title,
                content,
                procedure_code: optional(&self.procedure_code, 40),
                legal_document: optional(&self.legal_document, 200),
                content_kind,
            }),
            _ => Err(FeedbackError::Invalid(errors)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawFeedback {
        RawFeedback {
            sender_name: "Nguyễn Văn An".into(),
            sender_address: "12 Hàng Bài, Hoàn Kiếm, Hà Nội".into(),
            sender_phone: "+84 912 345 678".into(),
            sender_email: "an@Example.VN".into(),
            content: "Thủ tục đăng ký khai sinh yêu cầu giấy tờ trùng lặp.".into(),
            ..RawFeedback::default()
        }
    }

    #[test]
    fn phones_normalise_to_national_form() {
        for s in [
            "0912345678",
            "+84912345678",
            "84 912 345 678",
            "(024) 3825.1234",
        ] {
            assert!(Phone::parse(s).is_ok(), "{s}");
        }
        assert_eq!(
            Phone::parse("+84 912-345-678").map(|p| p.0),
            Ok("0912345678".into())
        );
        for s in [
            "",
            "12345",
            "0112345678",
            "09123456789",
            "09123a5678",
            "+1 415 555 0100",
        ] {
            assert!(Phone::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn emails_are_checked() {
        assert_eq!(
            Email::parse(" a.b@Gov.VN ").map(|e| e.0),
            Ok("a.b@gov.vn".into())
        );
        for s in [
            "", "a", "a@b", "a b@c.vn", "@c.vn", "a@-c.vn", "a@c..vn", "<a>@c.vn",
        ] {
            assert!(Email::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn a_valid_submission_passes() {
        let f = raw().validate().expect("valid");
        assert_eq!(f.sender.phone.as_str(), "0912345678");
        assert_eq!(f.channel, Channel::Portal);
        assert!(f.title.starts_with("Thủ tục"));
    }

    #[test]
    fn missing_sender_data_lists_every_field() {
        let r = RawFeedback {
            content: "ngắn".into(),
            ..RawFeedback::default()
        };
        let Err(FeedbackError::Invalid(errs)) = r.validate() else {
            panic!("must fail")
        };
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["sender_name", "sender_address", "sender_phone", "content"]
        );
    }

    #[test]
    fn script_in_content_is_kept_as_text() {
        let mut r = raw();
        r.content = "<script>alert(1)</script> thủ tục rườm rà".into();
        let f = r.validate().expect("valid");
        assert!(f.content.contains("<script>"));
    }
}
