//! The `realname` group in the sandbox: real-name authentication applications and their review
//! results.
//!
//! The data set: an approved enterprise application for every direct customer of the partner
//! whose `verified_status` is `2`, and an individual application under review for every direct
//! customer whose status is `0` (in review). Customers of the resellers are not the partner's to
//! authenticate: they, like unknown ids, are `400 CBC.99000035`.
//!
//! Applications (checked first: `400 CBC.0100` for a wrong `identify_type`, attachment count or
//! type, `verified_type`, `change_type`, `certificate_type`, `reg_country`, a blank name or number,
//! an `xaccount_type` that is not the customer's, or a wrong bank-card verification code — the
//! code SendVerificationMessageCode sent to that mobile):
//! - CreatePersonalRealnameAuth: by identity document (`identify_type` 0, three attachments) it
//!   goes to manual review (`is_review` 1); by bank card (`identify_type` 4, one face photo) it is
//!   decided at once (`is_review` 0).
//! - CreateEnterpriseRealnameAuthentication: `identify_type` 1, one attachment (three with
//!   `enterprise_person`); manual review.
//! - ChangeEnterpriseRealnameAuthentication: `change_type` 1, for a customer verified as an
//!   individual only; manual review.
//!
//! Business rules (`403 CBC.0150`): no application while another one of the customer is under
//! review; no first application (individual or enterprise) for a customer that is already
//! verified; no change for a customer that is not verified as an individual.
//!
//! The review, deterministic: an application whose name (`name` or `corp_name`) contains `驳回`
//! or `reject` (any case) is rejected, with an opinion; every other one is approved. A manual
//! review takes one look: the first ShowRealnameAuthenticationReviewResult after the application
//! answers `0` (in review), and from the next one on the decision (`1` rejected with `opinion`,
//! `2` approved). The customer in `world.customers` follows: `verified_status` `0` while a first
//! application is under review, `2` once approved (with `customer_type` 0 individual or 1
//! enterprise and `customer` set to the authenticated name), `1` when a first application is
//! rejected (a rejected change leaves the customer as it was). A customer that never applied
//! gets an answer without `review_result`.
//!
//! The customer's own operations (the calling customer is `world.customers[0]`):
//! - ShowRealNameAuthQrCode: a single-use face-recognition QR code address for the customer, with
//!   a fresh ticket on every call (valid 10 minutes from NOW).
//! - ShowRealNameAuthStatus: its `verified_status` as a number, and `verified_type` (its
//!   `customer_type`, 0 individual or 1 enterprise) once authenticated. It follows the reviews
//!   above.

use huaweicloud_bss::customers::types::CustomerInformation;
use huaweicloud_bss::realname::types;
use serde_json::Value;

use crate::reply::{body, json};
use crate::world::{CustomerFields, VERIFICATION_CODE, World};
use crate::{ApiError, Call};

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "晨曦", "子涵",
];
const OPINION: &str =
    "证件照片与填写的信息不一致或无法辨认，请上传清晰、完整的证件照片后重新提交。";
const EXTENSIONS: &[&str] = &["jpg", "jpeg", "bmp", "png", "gif", "pdf"];

/// One application as it was submitted.
#[derive(Clone, Debug)]
pub enum Application {
    /// CreatePersonalRealnameAuth.
    Personal(types::ApplyIndividualRealnameAuthsReq),
    /// CreateEnterpriseRealnameAuthentication.
    Enterprise(types::ApplyEnterpriseRealnameAuthsReq),
    /// ChangeEnterpriseRealnameAuthentication.
    Change(types::ChangeEnterpriseRealnameAuthsReq),
}

impl Application {
    fn customer_id(&self) -> &str {
        match self {
            Application::Personal(a) => &a.customer_id,
            Application::Enterprise(a) => &a.customer_id,
            Application::Change(a) => &a.customer_id,
        }
    }

    /// The name under review: the person's or the organisation's.
    fn name(&self) -> &str {
        match self {
            Application::Personal(a) => &a.name,
            Application::Enterprise(a) => &a.corp_name,
            Application::Change(a) => &a.corp_name,
        }
    }
}

/// An application and where its review stands.
#[derive(Clone, Debug)]
pub struct Review {
    /// What was submitted.
    pub application: Application,
    /// The review result as ShowRealnameAuthenticationReviewResult answers it.
    pub result: types::ShowRealnameAuthenticationReviewResultResponse,
    /// Whether the partner has already seen it in review (the next look sees the decision).
    pub seen: bool,
}

/// The group's data.
#[derive(Debug, Default)]
pub struct State {
    /// Every application, oldest first.
    pub reviews: Vec<Review>,
}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(rng: &mut fastrand::Rng, world: &World) -> State {
        let mut reviews = Vec::new();
        for (owner, customer) in &world.customers {
            if owner.is_some() {
                continue;
            }
            let xaccount_type = customer
                .xaccount_type
                .clone()
                .unwrap_or_else(|| "partner_saas".to_string());
            let folder = format!("realname/{}", customer.id());
            match customer.verified_status.as_deref() {
                Some("2") => {
                    let corp_name = customer
                        .customer
                        .clone()
                        .unwrap_or_else(|| format!("{}科技有限公司", customer.login()));
                    reviews.push(Review {
                        application: Application::Enterprise(
                            types::ApplyEnterpriseRealnameAuthsReq {
                                customer_id: customer.id().to_string(),
                                identify_type: 1,
                                certificate_type: Some(0),
                                verified_file_url: vec![format!("{folder}/licence.jpg")],
                                corp_name,
                                verified_number: format!(
                                    "91{}{:08}{}",
                                    [110, 310, 440, 330, 510][rng.usize(..5)] * 1000
                                        + rng.u32(..1000),
                                    rng.u32(..100_000_000),
                                    char::from(b"0123456789ABCDEFGHJKLMNPQRTUWXY"[rng.usize(..31)])
                                ),
                                reg_country: Some("CN".to_string()),
                                reg_address: None,
                                xaccount_type,
                                enterprise_person: None,
                            },
                        ),
                        result: decided(false),
                        seen: true,
                    });
                }
                Some("0") => {
                    let name = format!(
                        "{}{}",
                        SURNAMES[rng.usize(..SURNAMES.len())],
                        GIVEN[rng.usize(..GIVEN.len())]
                    );
                    reviews.push(Review {
                        application: Application::Personal(
                            types::ApplyIndividualRealnameAuthsReq {
                                customer_id: customer.id().to_string(),
                                identify_type: 0,
                                verified_type: Some(3),
                                verified_file_url: vec![
                                    format!("{folder}/passport_info.jpg"),
                                    format!("{folder}/passport_entry.jpg"),
                                    format!("{folder}/passport_holding.jpg"),
                                ],
                                name,
                                verified_number: format!("E{:08}", rng.u32(..100_000_000)),
                                change_type: Some(-1),
                                xaccount_type,
                                bank_card_info: None,
                            },
                        ),
                        result: in_review(),
                        seen: false,
                    });
                }
                _ => {}
            }
        }
        State { reviews }
    }
}

impl crate::generated::realname::Server for World {
    fn create_personal_realname_auth(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let request: types::ApplyIndividualRealnameAuthsReq = body(call)?;
        check_personal(&request)?;
        let customer = customer(world, &request.customer_id)?;
        same_platform(customer, &request.xaccount_type)?;
        first_application(customer)?;
        if let Some(card) = &request.bank_card_info
            && request.identify_type == 4
            && (card.verification_code != VERIFICATION_CODE
                || !world.codes_sent.contains(&card.mobile))
        {
            return Err(ApiError::invalid(
                "bank_card_info.verification_code: wrong or expired (call SendVerificationMessageCode first)",
            ));
        }
        let manual = request.identify_type != 4;
        let is_review = submit(world, Application::Personal(request), manual)?;
        json(types::CreatePersonalRealnameAuthResponse {
            is_review: Some(is_review),
        })
    }

    fn create_enterprise_realname_authentication(
        &mut self,
        call: &Call<'_>,
    ) -> Result<Value, ApiError> {
        let world = self;
        let request: types::ApplyEnterpriseRealnameAuthsReq = body(call)?;
        check_enterprise(
            request.identify_type,
            request.certificate_type,
            &request.verified_file_url,
            &request.corp_name,
            &request.verified_number,
            request.reg_country.as_deref(),
            request.enterprise_person.as_ref(),
        )?;
        let customer = customer(world, &request.customer_id)?;
        same_platform(customer, &request.xaccount_type)?;
        first_application(customer)?;
        let is_review = submit(world, Application::Enterprise(request), true)?;
        json(types::CreateEnterpriseRealnameAuthenticationResponse {
            is_review: Some(is_review),
        })
    }

    fn change_enterprise_realname_authentication(
        &mut self,
        call: &Call<'_>,
    ) -> Result<Value, ApiError> {
        let world = self;
        let request: types::ChangeEnterpriseRealnameAuthsReq = body(call)?;
        if request.change_type != 1 {
            return Err(ApiError::invalid(
                "change_type: only 1 (individual to enterprise) is supported",
            ));
        }
        check_enterprise(
            request.identify_type,
            request.certificate_type,
            &request.verified_file_url,
            &request.corp_name,
            &request.verified_number,
            request.reg_country.as_deref(),
            request.enterprise_person.as_ref(),
        )?;
        let customer = customer(world, &request.customer_id)?;
        same_platform(customer, &request.xaccount_type)?;
        if customer.verified_status.as_deref() != Some("2") || customer.customer_type != Some(0) {
            return Err(ApiError::illegal(
                "Only a customer verified as an individual can change to an enterprise authentication.",
            ));
        }
        let is_review = submit(world, Application::Change(request), true)?;
        json(types::ChangeEnterpriseRealnameAuthenticationResponse {
            is_review: Some(is_review),
        })
    }

    fn show_realname_authentication_review_result(
        &mut self,
        call: &Call<'_>,
    ) -> Result<Value, ApiError> {
        let world = self;
        let id = call.text("customer_id").unwrap_or_default();
        customer(world, &id)?;
        let Some(index) = world
            .groups
            .realname
            .reviews
            .iter()
            .rposition(|r| r.application.customer_id() == id)
        else {
            return json(types::ShowRealnameAuthenticationReviewResultResponse::default());
        };
        let review = &mut world.groups.realname.reviews[index];
        if review.result.review_result == Some(0) {
            if review.seen {
                let rejected = rejects(review.application.name());
                review.result = decided(rejected);
                let application = review.application.clone();
                settle(world, &application, rejected);
            } else {
                review.seen = true;
            }
        }
        json(world.groups.realname.reviews[index].result.clone())
    }

    fn show_real_name_auth_qr_code(&mut self, _call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let id = calling_customer(world)?.id().to_string();
        let ticket = world.new_id();
        json(types::ShowRealNameAuthQrCodeResponse {
            qr_code_url: Some(format!(
                "https://auth.huaweicloud.com/realname/face?ticket={ticket}&domain_id={id}&expires=2024-06-01T00:10:00Z"
            )),
        })
    }

    fn show_real_name_auth_status(&mut self, _call: &Call<'_>) -> Result<Value, ApiError> {
        let world = self;
        let caller = calling_customer(world)?;
        let status = caller
            .verified_status
            .as_deref()
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap_or(-1);
        json(types::ShowRealNameAuthStatusResponse {
            verified_status: Some(status),
            verified_type: (status == 2)
                .then_some(caller.customer_type)
                .flatten()
                .filter(|t| *t == 0 || *t == 1),
        })
    }
}

/// Records an application; a manual one goes to review, any other is decided at once. Answers
/// `is_review`.
fn submit(world: &mut World, application: Application, manual: bool) -> Result<i32, ApiError> {
    let id = application.customer_id().to_string();
    if world
        .groups
        .realname
        .reviews
        .iter()
        .any(|r| r.application.customer_id() == id && r.result.review_result == Some(0))
    {
        return Err(ApiError::illegal(
            "An application of this customer is under review; wait for its result.",
        ));
    }
    if manual {
        if !matches!(application, Application::Change(_))
            && let Some(customer) = customer_mut(world, &id)
        {
            customer.verified_status = Some("0".to_string());
        }
        world.groups.realname.reviews.push(Review {
            application,
            result: in_review(),
            seen: false,
        });
        Ok(1)
    } else {
        let rejected = rejects(application.name());
        settle(world, &application, rejected);
        world.groups.realname.reviews.push(Review {
            application,
            result: decided(rejected),
            seen: true,
        });
        Ok(0)
    }
}

/// Applies a decision to the customer.
fn settle(world: &mut World, application: &Application, rejected: bool) {
    let Some(customer) = customer_mut(world, application.customer_id()) else {
        return;
    };
    match (application, rejected) {
        (Application::Change(_), true) => {}
        (_, true) => customer.verified_status = Some("1".to_string()),
        (Application::Personal(a), false) => {
            customer.verified_status = Some("2".to_string());
            customer.customer_type = Some(0);
            customer.customer = Some(a.name.clone());
        }
        (_, false) => {
            customer.verified_status = Some("2".to_string());
            customer.customer_type = Some(1);
            customer.customer = Some(application.name().to_string());
        }
    }
}

fn rejects(name: &str) -> bool {
    name.contains("驳回") || name.to_lowercase().contains("reject")
}

fn in_review() -> types::ShowRealnameAuthenticationReviewResultResponse {
    types::ShowRealnameAuthenticationReviewResultResponse {
        review_result: Some(0),
        opinion: None,
    }
}

fn decided(rejected: bool) -> types::ShowRealnameAuthenticationReviewResultResponse {
    types::ShowRealnameAuthenticationReviewResultResponse {
        review_result: Some(if rejected { 1 } else { 2 }),
        opinion: rejected.then(|| OPINION.to_string()),
    }
}

/// A direct customer of the partner (`CBC.99000035` otherwise).
fn customer<'w>(world: &'w World, id: &str) -> Result<&'w CustomerInformation, ApiError> {
    world
        .customers
        .iter()
        .find(|(owner, c)| owner.is_none() && c.id() == id)
        .map(|(_, c)| c)
        .ok_or_else(|| {
            ApiError::business(
                "CBC.99000035",
                format!("The customer `{id}` is not a sub-customer of this partner."),
            )
        })
}

/// The customer calling with its own credentials ([`World::caller`]).
fn calling_customer(world: &World) -> Result<&CustomerInformation, ApiError> {
    world.caller().ok_or_else(|| ApiError {
        status: 403,
        code: "CBC.0151",
        message: "Access denied: the caller is not a customer account.".to_string(),
    })
}

fn customer_mut<'w>(world: &'w mut World, id: &str) -> Option<&'w mut CustomerInformation> {
    world
        .customers
        .iter_mut()
        .find(|(owner, c)| owner.is_none() && c.id() == id)
        .map(|(_, c)| c)
}

fn first_application(customer: &CustomerInformation) -> Result<(), ApiError> {
    if customer.verified_status.as_deref() == Some("2") {
        return Err(ApiError::illegal(
            "the customer is already real-name authenticated; apply for a change instead.",
        ));
    }
    Ok(())
}

fn same_platform(customer: &CustomerInformation, xaccount_type: &str) -> Result<(), ApiError> {
    match customer.xaccount_type.as_deref() {
        Some(own) if own != xaccount_type => Err(ApiError::invalid(format!(
            "xaccount_type: `{xaccount_type}` is not the platform of this customer"
        ))),
        _ => Ok(()),
    }
}

fn check_personal(request: &types::ApplyIndividualRealnameAuthsReq) -> Result<(), ApiError> {
    blank("name", &request.name)?;
    blank("verified_number", &request.verified_number)?;
    if request.change_type.is_some_and(|t| t != -1) {
        return Err(ApiError::invalid(
            "change_type: only -1 (first authentication) is allowed here",
        ));
    }
    match request.identify_type {
        0 => {
            if !request
                .verified_type
                .is_some_and(|t| [3, 5, 6, 9, 10].contains(&t))
            {
                return Err(ApiError::invalid(
                    "verified_type: required with identify_type 0, one of 3, 5, 6, 9, 10",
                ));
            }
            files(&request.verified_file_url, 3)
        }
        4 => {
            let Some(card) = &request.bank_card_info else {
                return Err(ApiError::invalid(
                    "bank_card_info: required with identify_type 4",
                ));
            };
            blank("bank_card_info.bank_account", &card.bank_account)?;
            blank("bank_card_info.mobile", &card.mobile)?;
            files(&request.verified_file_url, 1)
        }
        other => Err(ApiError::invalid(format!(
            "identify_type: {other} is not 0 (identity document) or 4 (bank card)"
        ))),
    }
}

fn check_enterprise(
    identify_type: i32,
    certificate_type: Option<i32>,
    urls: &[String],
    corp_name: &str,
    number: &str,
    country: Option<&str>,
    person: Option<&types::EnterprisePersonNew>,
) -> Result<(), ApiError> {
    if identify_type != 1 {
        return Err(ApiError::invalid(format!(
            "identify_type: {identify_type} is not 1 (organisation certificate)"
        )));
    }
    if certificate_type.is_some_and(|t| ![0, 1, 2, 3, 4, 99].contains(&t)) {
        return Err(ApiError::invalid(
            "certificate_type: one of 0, 1, 2, 3, 4, 99",
        ));
    }
    if !corp_name.chars().any(char::is_alphabetic) {
        return Err(ApiError::invalid(
            "corp_name: must not be only digits, special characters or spaces",
        ));
    }
    blank("verified_number", number)?;
    if country.is_some_and(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase())) {
        return Err(ApiError::invalid(
            "reg_country: an ISO 3166 alpha-2 code such as CN",
        ));
    }
    if let Some(person) = person {
        blank("enterprise_person.legel_name", &person.legel_name)?;
        blank("enterprise_person.legel_id_number", &person.legel_id_number)?;
    }
    files(urls, if person.is_some() { 3 } else { 1 })
}

fn blank(name: &str, value: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::invalid(format!("{name}: must not be blank")))
    } else {
        Ok(())
    }
}

fn files(urls: &[String], count: usize) -> Result<(), ApiError> {
    if urls.len() != count {
        return Err(ApiError::invalid(format!(
            "verified_file_url: {count} attachment(s) expected, {} given",
            urls.len()
        )));
    }
    for url in urls {
        let extension = url.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if url.starts_with('/') || !extension.is_some_and(|e| EXTENSIONS.contains(&e.as_str())) {
            return Err(ApiError::invalid(format!(
                "verified_file_url: `{url}` is not a relative path to a jpg, jpeg, bmp, png, gif or pdf file"
            )));
        }
    }
    Ok(())
}
