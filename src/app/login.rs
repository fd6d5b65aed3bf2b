//! The login screen's state: e-mail, password (masked), then the code if Blink asks.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginField {
    Email,
    Password,
    Code,
}

#[derive(Clone, PartialEq, Eq)]
pub enum LoginStage {
    Credentials,
    /// Blink sent a code; where to, when it said.
    Code {
        destination: Option<String>,
    },
}

#[derive(Clone)]
pub struct LoginState {
    pub email: String,
    /// Kept only while typing; sent wrapped in a `Secret` and cleared.
    pub password: String,
    pub code: String,
    pub field: LoginField,
    pub stage: LoginStage,
    pub busy: bool,
    pub error: Option<String>,
    /// Why the login screen is shown (e.g. the session ended).
    pub notice: Option<String>,
}

impl LoginState {
    pub fn new(email: Option<String>, notice: Option<String>) -> Self {
        let field = if email.is_some() { LoginField::Password } else { LoginField::Email };
        Self {
            email: email.unwrap_or_default(),
            password: String::new(),
            code: String::new(),
            field,
            stage: LoginStage::Credentials,
            busy: false,
            error: None,
            notice,
        }
    }

    pub fn input_mut(&mut self) -> &mut String {
        match self.field {
            LoginField::Email => &mut self.email,
            LoginField::Password => &mut self.password,
            LoginField::Code => &mut self.code,
        }
    }

    pub fn next_field(&mut self) {
        self.field = match (&self.stage, self.field) {
            (LoginStage::Code { .. }, _) => LoginField::Code,
            (LoginStage::Credentials, LoginField::Email) => LoginField::Password,
            (LoginStage::Credentials, _) => LoginField::Email,
        };
    }
}

impl std::fmt::Debug for LoginState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginState")
            .field("email", &self.email)
            .field("password", &"[redacted]")
            .field("code", &"[redacted]")
            .field("field", &self.field)
            .field("busy", &self.busy)
            .field("error", &self.error)
            .finish()
    }
}

impl std::fmt::Debug for LoginStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Credentials => f.write_str("Credentials"),
            Self::Code { .. } => f.write_str("Code"),
        }
    }
}
