//! A poise bot of its own with lectern mounted in it: the example of the README's "Use lectern
//! in your own bot" (poise 0.6, serenity 0.12).
//!
//! The host has its own user data (`Data`), its own error type and its own command (`/hello`,
//! with a button of its own); lectern adds `/talk-topics`, `/talk-topic`, `/talk-quote`,
//! `/talk-search` and `/talk-about`, their autocomplete, and its buttons and menus (ids
//! starting `talk2:`). The host registers everything once; lectern never registers anything.
//!
//! Usage: `DISCORD_TOKEN=… cargo run --example poise_host -- SEEDS_DIR`; with
//! `DISCORD_API_BASE=http://…` it talks to another API base (the end-to-end tests' fake
//! Discord). The end-to-end tests drive [`framework`] and [`client`] as they are here.

use lectern_discord::{Plugin, PluginOptions};
use poise::serenity_prelude as serenity;
use serenity::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateInteractionResponse,
    CreateInteractionResponseMessage, FullEvent, Interaction,
};

/// The host's own data. It keeps the plugin only to pass it the presses of lectern's buttons:
/// lectern's commands carry their plugin themselves.
pub struct Data {
    pub lectern: Plugin,
}

/// The host's own error type.
pub type Error = Box<dyn std::error::Error + Send + Sync>;
type Context<'a> = poise::Context<'a, Data, Error>;

/// The custom_id of the host's own button.
pub const WAVE: &str = "host:wave";

/// Say hello (the host's own command)
#[poise::command(slash_command)]
async fn hello(ctx: Context<'_>) -> Result<(), Error> {
    let wave = CreateButton::new(WAVE)
        .label("Wave")
        .style(ButtonStyle::Primary);
    let reply = poise::CreateReply::default()
        .content(format!("Hello from the host, {}!", ctx.author().name))
        .components(vec![CreateActionRow::Buttons(vec![wave])]);
    ctx.send(reply).await?;
    Ok(())
}

/// The host's framework: its commands plus lectern's, its event handler passing lectern's
/// presses to the plugin first.
pub fn framework(lectern: Plugin) -> poise::Framework<Data, Error> {
    let mut commands = vec![hello()];
    commands.extend(lectern.commands());
    poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            event_handler: |ctx, event, _framework, data| Box::pin(on_event(ctx, event, data)),
            allowed_mentions: Some(CreateAllowedMentions::new()),
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_globally(ctx, &framework.options().commands).await?;
                Ok(Data { lectern })
            })
        })
        .build()
}

/// poise answers commands (the host's and lectern's); presses come here.
async fn on_event(ctx: &serenity::Context, event: &FullEvent, data: &Data) -> Result<(), Error> {
    if let FullEvent::InteractionCreate {
        interaction: Interaction::Component(press),
    } = event
    {
        if data.lectern.handle_component(ctx, press).await {
            return Ok(());
        }
        // Not lectern's: the host's own components.
        if press.data.custom_id == WAVE {
            let message = CreateInteractionResponseMessage::new()
                .content(format!("{} waves back.", press.user.name))
                .allowed_mentions(CreateAllowedMentions::new());
            press
                .create_response(ctx, CreateInteractionResponse::Message(message))
                .await?;
        }
    }
    Ok(())
}

/// The serenity client, talking to `api_base` when given (serenity's own ratelimiter then
/// off, since it would bypass it).
pub async fn client(
    token: &str,
    api_base: Option<&str>,
    lectern: Plugin,
) -> serenity::Result<serenity::Client> {
    let mut http = serenity::HttpBuilder::new(token);
    if let Some(base) = api_base {
        http = http.proxy(base).ratelimiter_disabled(true);
    }
    serenity::ClientBuilder::new_with_http(http.build(), serenity::GatewayIntents::empty())
        .framework(framework(lectern))
        .await
}

/// The options this host gives lectern: its commands under `/talk-…`, its buttons under
/// `talk`, no `/reload` (this host reloads nothing), no `/settings` (it keeps no state).
pub fn options() -> PluginOptions {
    PluginOptions::default()
        .command_prefix("talk-")
        .custom_id_prefix("talk")
        .without_reload()
        .without_settings()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();
    let token = std::env::var("DISCORD_TOKEN").map_err(|_| "DISCORD_TOKEN is not set")?;
    let seeds = std::env::args().nth(1).unwrap_or_else(|| "seeds".into());
    let lectern = Plugin::from_folder(seeds, options())?;
    let api_base = std::env::var("DISCORD_API_BASE").ok();
    let mut client = client(&token, api_base.as_deref(), lectern).await?;
    client.start().await?;
    Ok(())
}
