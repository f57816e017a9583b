export const firebaseConfig = {
  apiKey: 'AIzaSyFAKEkeyFORtestsONLY11111111111111',
  authDomain: 'demo-app.firebaseapp.com',
  projectId: 'demo-app',
};
