/** The widget's words in Spanish, addressing the visitor as "tú", for Spain and Latin America. */
import type { Catalogue } from './en.ts';

const plural = new Intl.PluralRules('es');

export const es: Catalogue = {
  dir: 'ltr',
  close: 'Cerrar',
  connecting: 'Conectando…',
  greeting:
    '¡Hola! ¿En qué podemos ayudarte? Escribe tu pregunta y una persona te responderá aquí.',
  usualWait: (minutes: number) =>
    minutes <= 1
      ? 'Normalmente una persona responde en menos de un minuto.'
      : `Normalmente una persona responde en menos de ${minutes} minutos.`,
  offlineStatus: 'Estás sin conexión. Los mensajes se enviarán cuando vuelvas a conectarte.',
  ended: 'Este chat ha terminado.',
  endedByYou: 'Has finalizado este chat.',
  endedByHelper: (name: string) => `${name} ha finalizado este chat.`,
  endedBySystem: 'Este chat se cerró porque no había nadie.',
  helperHere: (name: string) => `${name} está aquí para ayudarte.`,
  nobodyOnline: 'Ahora mismo no hay nadie en línea.',
  queueNext: 'Tu turno es el siguiente.',
  queuePosition: (position: number) => `Estás en la posición ${position} de la fila.`,
  waitingForHelper: 'Alguien te atenderá enseguida.',
  connected: 'Conectado.',
  helpCode: 'Tu código de ayuda:',
  preferPhone: ['¿Prefieres hablar por teléfono? Llama al ', ' e indica tu código.'],
  following: (name: string) => `${name} ve tu página en tiempo real.`,
  viewing: (name: string) => `${name} está viendo esta página.`,
  stopSharing: 'Dejar de compartir',
  controlAsk: (name: string) => `¿Permitir que ${name} se desplace, navegue y complete campos?`,
  allow: 'Permitir',
  deny: 'No permitir',
  inControl: (name: string) => `${name} tiene el control de esta página.`,
  pressEscOr: 'Pulsa Esc o',
  takeBackControl: 'Recuperar el control',
  tryAgain: 'Reintentar',
  startNewChat: 'Iniciar un chat nuevo',
  messages: 'Mensajes',
  theHelper: 'La persona que te atiende',
  typing: (name: string) => `${name} está escribiendo…`,
  endChat: 'Finalizar chat',
  endChatConfirm: '¿Finalizar este chat? Avisaremos a la persona que te atiende.',
  endChatYes: 'Sí, finalizar chat',
  endChatNo: 'Seguir chateando',
  // Leaving a message when no one is online.
  leaveMessageIntro:
    'Ahora mismo no hay nadie en línea. Déjanos un mensaje y te responderemos aquí en cuanto volvamos.',
  leaveMessage: 'Dejar un mensaje',
  yourMessage: 'Tu mensaje',
  emailOptional: 'Correo electrónico (opcional), para poder responderte',
  messageLeft: '¡Gracias! Hemos recibido tu mensaje. La respuesta aparecerá aquí.',
  messageLeftEmail: (email: string) =>
    `¡Gracias! Hemos recibido tu mensaje. La respuesta aparecerá aquí o te escribiremos a ${email}.`,
  // Rating and transcript.
  rateQuestion: '¿Cómo valoras este chat?',
  rateUp: 'Bien, me ayudó',
  rateDown: 'Mal, no me ayudó',
  rateComment: '¿Quieres comentar algo más? (opcional)',
  rateSend: 'Enviar valoración',
  rateThanks: 'Gracias por tu valoración.',
  downloadTranscript: 'Descargar la conversación',
  transcriptTitle: (date: string) => `Chat de ayuda, ${date}`,
  // The message list.
  you: 'Tú',
  read: 'Leído',
  delivered: 'Entregado',
  sending: 'Enviando…',
  notSent: (reason: string) => `No enviado: ${reason}`,
  newMessages: 'Mensajes nuevos',
  messageLabel: 'Mensaje',
  send: 'Enviar',
  unread: (count: number) =>
    plural.select(count) === 'one'
      ? `${count} mensaje nuevo de la persona que te atiende`
      : `${count} mensajes nuevos de la persona que te atiende`,
  errors: {
    invalid_payload: 'No se pudo aceptar parte de la solicitud.',
    too_long: 'Ese mensaje es demasiado largo.',
    not_found: 'Este chat ya no existe.',
    forbidden: 'Esto no está permitido aquí.',
    unauthorized: 'Este chat ha expirado.',
    rate_limited: 'Demasiadas solicitudes a la vez. Espera un momento.',
    conflict: 'Eso ya se envió.',
    ended: 'Este chat ha terminado.',
    takeover_needed: 'Otra persona ya está respondiendo.',
    internal: 'Se produjo un error por nuestra parte.',
    network: 'No pudimos conectar con el servicio de ayuda. Revisa tu conexión.',
  },
  tryAgainLater: 'Inténtalo de nuevo.',
};
