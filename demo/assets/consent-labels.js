// The shop's own texts for the names Voucherify holds in one language (the seeded consents, consent groups and
// segments), per locale: the elements' `labels` property. Languages not listed here show Voucherify's English texts.
const NEWSLETTER = 'cnst_IhKtJ0RlgLKOmxgJTeKdNnFR';
const PRODUCT_UPDATES = 'cnst_IBXuDL7DxtpYlSXpfKtHF4vU';
const EMAIL_OFFERS = 'cnst_CsMehGAkWvj7FAc9QeWJKY40';
const SMS_OFFERS = 'cnst_uvSwMFLZDe1f8rESQedUStPK';
const PARTNERS = 'cnst_R0CsTy4Qwb8DwkNhFdnXsiVp';
const EMAIL = 'cnstgr_u8jzPde0IgxLd6GncfBAepfJ';
const PHONE_AND_PARTNERS = 'cnstgr_Bd0Kh8oOOL8dKLzdocJ2isAj';
const READERS = 'seg_e3nNyjOq9wMxEhh2FDEEtfjg';
const BERLIN = 'seg_VvVqE1SkHbn88HxjSI6bWHtP';
const VIP = 'seg_3fS2qHx6kwXoIIXGvOoNZYW2';
const OPTED_OUT = 'seg_mZp0zVZomHFwUbbYrEqmSM9w';
const UNDECIDED = 'seg_Qm7TzJ2kUwN4bVYx8RcLdA1e';

export const LABELS = {
  ar: {
    [NEWSLETTER]: { name: 'النشرة الإخبارية', description: 'رسالة شهرية بأخبار المتجر وقصصه.' },
    [PRODUCT_UPDATES]: {
      name: 'تحديثات المنتجات',
      description: 'رسالة بريد إلكتروني عندما يعود منتج تتابعه إلى المخزون أو يتغير سعره.',
    },
    [EMAIL_OFFERS]: { name: 'عروض شخصية بالبريد الإلكتروني', description: 'خصومات وقسائم مختارة لك.' },
    [SMS_OFFERS]: { name: 'عروض عبر الرسائل النصية', description: 'عروض قصيرة الأجل تُرسل إلى هاتفك.' },
    [PARTNERS]: { name: 'عروض من الشركاء', description: 'اسمح لشركاء مختارين بعناية بإرسال عروضهم إليك.' },
    [EMAIL]: { name: 'البريد الإلكتروني', description: 'ما قد نرسله إلى بريدك الوارد.' },
    [PHONE_AND_PARTNERS]: { name: 'الهاتف والشركاء', description: 'رسائل نصية، وعروض من شركاء المتجر.' },
    [READERS]: 'قرّاء النشرة الإخبارية',
    [BERLIN]: 'عملاء في برلين',
    [VIP]: 'كبار العملاء',
    [OPTED_OUT]: 'ألغوا الاشتراك في التسويق',
    [UNDECIDED]: 'لم يُتخذ قرار موافقة بعد',
  },
  de: {
    [NEWSLETTER]: {
      name: 'Newsletter',
      description: 'Ein monatlicher Brief mit Neuigkeiten und Geschichten aus dem Shop.',
    },
    [PRODUCT_UPDATES]: {
      name: 'Produkt-Neuigkeiten',
      description: 'Eine E-Mail, wenn ein Produkt, dem Sie folgen, wieder vorrätig ist oder seinen Preis ändert.',
    },
    [EMAIL_OFFERS]: {
      name: 'Persönliche Angebote per E-Mail',
      description: 'Rabatte und Gutscheine, für Sie ausgewählt.',
    },
    [SMS_OFFERS]: { name: 'Angebote per SMS', description: 'Kurzfristige Angebote auf Ihr Telefon.' },
    [PARTNERS]: {
      name: 'Angebote von Partnern',
      description: 'Sorgfältig ausgewählte Partner dürfen Ihnen ihre Angebote senden.',
    },
    [EMAIL]: { name: 'E-Mail', description: 'Was wir Ihnen in Ihr Postfach senden dürfen.' },
    [PHONE_AND_PARTNERS]: { name: 'Telefon und Partner', description: 'SMS und Angebote der Partner des Shops.' },
    [READERS]: 'Newsletter-Leser',
    [BERLIN]: 'Kundschaft in Berlin',
    [VIP]: 'VIP',
    [OPTED_OUT]: 'Von Werbung abgemeldet',
    [UNDECIDED]: 'Noch keine Einwilligungsentscheidung',
  },
  fr: {
    [NEWSLETTER]: {
      name: 'Lettre d’information',
      description: 'Une lettre mensuelle avec les nouvelles de la boutique.',
    },
    [PRODUCT_UPDATES]: {
      name: 'Nouvelles des produits',
      description: 'Un e-mail quand un produit que vous suivez est de nouveau en stock ou change de prix.',
    },
    [EMAIL_OFFERS]: {
      name: 'Offres personnelles par e-mail',
      description: 'Des remises et des bons choisis pour vous.',
    },
    [SMS_OFFERS]: { name: 'Offres par SMS', description: 'Des offres de courte durée envoyées sur votre téléphone.' },
    [PARTNERS]: {
      name: 'Offres des partenaires',
      description: 'Des partenaires choisis avec soin peuvent vous envoyer leurs offres.',
    },
    [EMAIL]: { name: 'E-mail', description: 'Ce que nous pouvons envoyer dans votre boîte de réception.' },
    [PHONE_AND_PARTNERS]: {
      name: 'Téléphone et partenaires',
      description: 'Des SMS, et des offres des partenaires de la boutique.',
    },
    [READERS]: 'Lecteurs de la lettre',
    [BERLIN]: 'Clientèle à Berlin',
    [VIP]: 'VIP',
    [OPTED_OUT]: 'Désinscrits du marketing',
    [UNDECIDED]: 'Aucun choix de consentement',
  },
  es: {
    [NEWSLETTER]: { name: 'Boletín', description: 'Una carta mensual con noticias e historias de la tienda.' },
    [PRODUCT_UPDATES]: {
      name: 'Novedades de productos',
      description: 'Un correo cuando un producto que sigue vuelve a estar disponible o cambia de precio.',
    },
    [EMAIL_OFFERS]: {
      name: 'Ofertas personales por correo',
      description: 'Descuentos y cupones elegidos para usted.',
    },
    [SMS_OFFERS]: { name: 'Ofertas por SMS', description: 'Ofertas de corta duración enviadas a su teléfono.' },
    [PARTNERS]: {
      name: 'Ofertas de socios',
      description: 'Permita que socios elegidos con cuidado le envíen sus ofertas.',
    },
    [EMAIL]: { name: 'Correo electrónico', description: 'Lo que podemos enviar a su bandeja de entrada.' },
    [PHONE_AND_PARTNERS]: {
      name: 'Teléfono y socios',
      description: 'Mensajes de texto, y ofertas de los socios de la tienda.',
    },
    [READERS]: 'Lectores del boletín',
    [BERLIN]: 'Clientes en Berlín',
    [VIP]: 'VIP',
    [OPTED_OUT]: 'Sin marketing',
    [UNDECIDED]: 'Sin decisión de consentimiento',
  },
};

for (const element of document.querySelectorAll('vc-consent-panel, vc-profile-card')) element.labels = LABELS;
