//! The realname group's calls the sandbox tests share.

calls! {
    realname:
    change_enterprise_realname_authentication => ChangeEnterpriseRealnameAuthentication -> ChangeEnterpriseRealnameAuthenticationResponse,
    create_enterprise_realname_authentication => CreateEnterpriseRealnameAuthentication -> CreateEnterpriseRealnameAuthenticationResponse,
    create_personal_realname_auth => CreatePersonalRealnameAuth -> CreatePersonalRealnameAuthResponse,
    show_realname_authentication_review_result => ShowRealnameAuthenticationReviewResult -> ShowRealnameAuthenticationReviewResultResponse,
}
